package io.rbdstack.server.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.spi.net.Ipv6Cidr;
import java.util.Optional;

/**
 * CloudStack 4.17's zone guest IPv6 prefixes: createGuestNetworkIpv6Prefix, listGuestNetworkIpv6Prefixes
 * and deleteGuestNetworkIpv6Prefix. Dual-stack networks take their /64 from them.
 */
public final class GuestIpv6PrefixCommands {

    private GuestIpv6PrefixCommands() {
    }

    public record Deps(ZoneRepository zones, GuestIpv6PrefixRepository prefixes) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateGuestNetworkIpv6Prefix.class, deps);
        registry.register(ListGuestNetworkIpv6Prefixes.class, deps);
        registry.register(DeleteGuestNetworkIpv6Prefix.class, deps);
    }

    /** The prefix as given, checked: an IPv6 CIDR without host bits, at most /64 so it holds whole /64s. */
    static Ipv6Cidr checkedPrefix(String given) {
        Ipv6Cidr prefix = Ipv6Addressing.checkedPrefix(given, "prefix");
        if (prefix.length() > GuestIpv6PrefixRepository.SUBNET_LENGTH) {
            throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter prefix: a guest prefix"
                    + " is at most /64 long, as each network takes a whole /64 of it");
        }
        return prefix;
    }

    @Command(name = "createGuestNetworkIpv6Prefix", description = "Creates a guest network IPv6 prefix: dual-stack"
            + " networks of the zone take their /64 from it.", access = Access.ADMIN,
            response = "guestnetworkipv6prefix", event = "GUEST.IP6.PREFIX.CREATE")
    record CreateGuestNetworkIpv6Prefix(
            @Param(description = "UUID of zone to which the IPv6 prefix belongs to.", entity = Entity.ZONE)
            String zoneId,
            @Param(description = "The IPv6 CIDR of the prefix, /64 or shorter (e.g. 2001:db8:100::/56)", length = 64,
                    column = "dc_ip6_guest_prefix.prefix") String prefix) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            Ipv6Cidr checked = checkedPrefix(prefix);
            long zone = deps.zones().idOf(zoneId).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneId + " (parameter zoneid)"));
            // Refused at once; the job checks again with the zone's row held.
            deps.prefixes().refuseOverlap(checked);
            return new AsyncStart("Zone", zoneId, progress -> {
                String uuid = deps.prefixes().create(zone, checked);
                return ApiJson.object("guestnetworkipv6prefix", deps.prefixes().find(uuid).orElseThrow().view());
            });
        }
    }

    @Command(name = "listGuestNetworkIpv6Prefixes", description = "Lists guest network IPv6 prefixes with how many"
            + " /64 subnets are used and available.", access = Access.ADMIN, response = "guestnetworkipv6prefix")
    record ListGuestNetworkIpv6Prefixes(
            @Param(description = "UUID of the IPv6 prefix.", entity = Entity.GUEST_IPV6_PREFIX) Optional<String> id,
            @Param(description = "UUID of zone to which the IPv6 prefix belongs to.", entity = Entity.ZONE)
            Optional<String> zoneId,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            GuestIpv6PrefixRepository.Filter filter = new GuestIpv6PrefixRepository.Filter(id, zoneId);
            return ApiJson.list("guestnetworkipv6prefix", deps.prefixes().list(filter, page.sql()).stream()
                    .map(GuestIpv6Prefix::view).toList(), deps.prefixes().count(filter));
        }
    }

    @Command(name = "deleteGuestNetworkIpv6Prefix", description = "Deletes an existing guest network IPv6 prefix;"
            + " refused (536) while a network holds one of its subnets.", access = Access.ADMIN,
            response = "success", event = "GUEST.IP6.PREFIX.DELETE")
    record DeleteGuestNetworkIpv6Prefix(
            @Param(description = "Id of the guest network IPv6 prefix", entity = Entity.GUEST_IPV6_PREFIX) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            GuestIpv6Prefix prefix = deps.prefixes().find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find guest network IPv6 prefix by id " + id + " (parameter id); it may have been"
                            + " deleted"));
            // Refused at once while networks use it; the job checks again with the zone's row held.
            deps.prefixes().refuseDeletingWhileUsed(prefix);
            return new AsyncStart("Zone", id, progress -> {
                deps.prefixes().delete(id);
                return ApiJson.success();
            });
        }
    }
}
