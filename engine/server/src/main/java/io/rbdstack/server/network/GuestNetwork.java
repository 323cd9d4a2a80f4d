package io.rbdstack.server.network;

import io.rbdstack.server.account.DomainPaths;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.infra.Ipv4;
import java.time.Instant;

/**
 * A live shared guest network: where it is, whose domain it serves, its IPv4 addressing and how its NICs
 * reach the wire (the bridge, and the VLAN tagged on the uplink when it has one); a dual-stack one also its
 * IPv6 /64 and gateway.
 */
public record GuestNetwork(long id, String uuid, String name, String displayText, Ref zone, Ref domain,
                           Ref offering, String gateway, String netmask, String ip4Start, String ip4End, String dns1,
                           String dns2, Integer vlan, String bridge, String uplink, String networkDomain,
                           String aclType, String state, Instant created, Ipv6 ipv6) {

    /** A dual-stack network's /64 and router; null for an IPv4-only network. */
    public record Ipv6(String cidr, String gateway) {
    }

    public boolean dualStack() {
        return ipv6 != null;
    }

    /** Another row it refers to: its id, uuid and name (for the domain: its stored path, "/" or "/a/b/"). */
    public record Ref(long id, String uuid, String name) {
    }

    /** The addressing as its arithmetic needs it; the stored values were checked when they were saved. */
    public GuestSubnet subnet() {
        return new GuestSubnet(Ipv4.parse(gateway, "gateway"), Ipv4.prefixLength(netmask),
                Ipv4.parse(ip4Start, "startip"), Ipv4.parse(ip4End, "endip"));
    }

    /** CloudStack's broadcast URI: the VLAN, or untagged. */
    public String broadcastUri() {
        return broadcastUri(vlan);
    }

    static String broadcastUri(Integer vlan) {
        return "vlan://" + (vlan == null ? "untagged" : vlan.toString());
    }

    /**
     * CloudStack's NetworkResponse fields, and rbdstack's own: the range, bridge and uplink. As CloudStack
     * does, only root admins see how the network reaches the wire (VLAN, broadcast URI; here also bridge and
     * uplink).
     */
    public View view(boolean rootAdmin) {
        return new View(uuid, name, displayText, zone.uuid(), zone.name(), offering.uuid(), offering.name(),
                offering.name(), "Optional", "Shared", "Guest", state, aclType, domain.uuid(),
                DomainPaths.name(domain.name()), DomainPaths.display(domain.name()), true, false, gateway, netmask,
                subnet().cidr(), rootAdmin ? (vlan == null ? "untagged" : vlan.toString()) : null,
                rootAdmin ? broadcastUri() : null, "Vlan", dns1, dns2, networkDomain, dualStack() ? "DualStack" : "IPv4",
                dualStack() ? ipv6.cidr() : null, dualStack() ? ipv6.gateway() : null, true, true, true,
                false, false, ApiJson.date(created), uuid, ip4Start, ip4End, rootAdmin ? bridge : null,
                rootAdmin ? uplink : null, java.util.List.of(), java.util.List.of());
    }

    public record View(String id, String name, String displaytext, String zoneid, String zonename,
                       String networkofferingid, String networkofferingname, String networkofferingdisplaytext,
                       String networkofferingavailability, String type, String traffictype, String state,
                       String acltype, String domainid, String domain, String domainpath, boolean subdomainaccess,
                       boolean issystem, String gateway, String netmask, String cidr, String vlan, String broadcasturi,
                       String broadcastdomaintype, String dns1, String dns2, String networkdomain,
                       String internetprotocol, String ip6cidr, String ip6gateway, boolean specifyipranges, boolean canusefordeploy,
                       boolean displaynetwork, boolean ispersistent, boolean restartrequired, String created,
                       String related, String startip, String endip, String bridge, String uplink,
                       java.util.List<Object> service, java.util.List<Object> tags) {
    }
}
