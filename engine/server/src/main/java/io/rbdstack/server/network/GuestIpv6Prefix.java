package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiJson;
import java.time.Instant;

/**
 * A zone's IPv6 guest prefix: the /64s of dual-stack networks are carved from it. {@code used} counts
 * the /64s given to live networks; the rest of its /64s are available.
 */
public record GuestIpv6Prefix(long id, String uuid, String prefix, String zoneUuid, String zoneName, long used,
                              long available, Instant created) {

    /** CloudStack 4.17's DataCenterGuestIpv6PrefixResponse fields. */
    public View view() {
        return new View(uuid, prefix, zoneUuid, zoneName, used, available, ApiJson.date(created));
    }

    public record View(String id, String prefix, String zoneid, String zonename, long usedsubnets,
                       long availablesubnets, String created) {
    }
}
