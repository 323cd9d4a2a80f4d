package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiJson;
import java.time.Instant;

/** A network offering row: the kind of network createNetwork makes (rbdstack seeds one, for shared networks). */
public record NetworkOffering(long id, String uuid, String name, String displayText, String guestType,
                             String trafficType, boolean specifyVlan, boolean specifyIpRanges, String internetProtocol,
                             String state, boolean isDefault, Instant created) {

    public boolean enabled() {
        return "Enabled".equals(state);
    }

    /** CloudStack's NetworkOfferingResponse fields; no services, as no DHCP or DNS runs in its networks yet. */
    public View view() {
        return new View(uuid, name, displayText, guestType, trafficType, state, isDefault, specifyVlan,
                specifyIpRanges, internetProtocol, "Optional", true, false, false, false, ApiJson.date(created),
                java.util.List.of());
    }

    public record View(String id, String name, String displaytext, String guestiptype, String traffictype,
                       String state, boolean isdefault, boolean specifyvlan, boolean specifyipranges,
                       String internetprotocol, String availability, boolean conservemode, boolean forvpc,
                       boolean ispersistent, boolean egressdefaultpolicy, String created,
                       java.util.List<Object> service) {
    }
}
