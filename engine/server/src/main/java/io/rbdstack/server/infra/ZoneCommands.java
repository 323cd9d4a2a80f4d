package io.rbdstack.server.infra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Format;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import java.util.Optional;

/** createZone, listZones, updateZone and deleteZone. */
public final class ZoneCommands {

    private ZoneCommands() {
    }

    public static void register(CommandRegistry registry, Infrastructure infra) {
        registry.register(CreateZone.class, infra);
        registry.register(ListZones.class, infra);
        registry.register(UpdateZone.class, infra);
        registry.register(DeleteZone.class, infra);
    }

    /** CloudStack's zone network types. */
    enum NetworkType { Basic, Advanced }

    @Command(name = "createZone", description = "Creates a Zone.", access = Access.ADMIN, response = "zone",
            event = "ZONE.CREATE")
    record CreateZone(
            @Param(description = "the name of the Zone", column = "data_center.name") String name,
            @Param(description = "the first DNS server for the Zone", format = Format.IPV4, length = 64,
                    column = "data_center.dns1") String dns1,
            @Param(description = "the first internal DNS server for the Zone", format = Format.IPV4, length = 64,
                    column = "data_center.internal_dns1") String internalDns1,
            @Param(description = "network type of the zone") NetworkType networkType,
            @Param(description = "the second DNS server", format = Format.IPV4, length = 64,
                    column = "data_center.dns2") Optional<String> dns2,
            @Param(description = "the second internal DNS server", format = Format.IPV4, length = 64,
                    column = "data_center.internal_dns2") Optional<String> internalDns2,
            @Param(description = "the first IPv6 DNS server", format = Format.IPV6, length = 64,
                    column = "data_center.ip6_dns1") Optional<String> ip6Dns1,
            @Param(description = "the second IPv6 DNS server", format = Format.IPV6, length = 64,
                    column = "data_center.ip6_dns2") Optional<String> ip6Dns2,
            @Param(description = "the guest CIDR address for the Zone", format = Format.CIDR_V4, length = 64,
                    column = "data_center.guest_network_cidr") Optional<String> guestCidrAddress,
            @Param(description = "Network domain name for the networks in the zone", column = "data_center.domain")
            Optional<String> domain,
            @Param(description = "the description of the Zone", column = "data_center.description")
            Optional<String> description,
            @Param(description = "Allocation state of the zone") Optional<AllocationState> allocationState)
            implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            ZoneRepository zones = infra.zones();
            if (zones.nameTaken(name)) {
                throw ApiException.invalidParameter("A zone with name " + name + " already exists");
            }
            String uuid = zones.create(new ZoneRepository.NewZone(name, description.orElse(null), dns1,
                    dns2.orElse(null), ip6Dns1.orElse(null), ip6Dns2.orElse(null), internalDns1,
                    internalDns2.orElse(null), guestCidrAddress.orElse(null), domain.orElse(null), networkType.name(),
                    allocationState.orElse(AllocationState.Enabled).name()));
            return ApiJson.object("zone", zones.find(uuid).orElseThrow());
        }
    }

    @Command(name = "listZones", description = "Lists zones.", access = Access.USER, response = "zone")
    record ListZones(@Param(description = "the ID of the zone", entity = Entity.ZONE) Optional<String> id,
                     @Param(description = "the name of the zone") Optional<String> name,
                     @Param(description = "List by keyword") Optional<String> keyword,
                     @Param(description = "true to list only zones the caller may deploy in") Optional<Boolean> available,
                     PageParams page) implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            return ApiJson.list("zone", infra.zones().list(id, name, keyword, page.sql()),
                    infra.zones().count(id, name, keyword));
        }
    }

    @Command(name = "updateZone", description = "Updates a Zone.", access = Access.ADMIN, response = "zone",
            event = "ZONE.EDIT")
    record UpdateZone(
            @Param(description = "the ID of the Zone", entity = Entity.ZONE) String id,
            @Param(description = "the name of the Zone", column = "data_center.name") Optional<String> name,
            @Param(description = "the first DNS for the Zone", format = Format.IPV4, length = 64,
                    column = "data_center.dns1") Optional<String> dns1,
            @Param(description = "the second DNS for the Zone", format = Format.IPV4, length = 64,
                    column = "data_center.dns2") Optional<String> dns2,
            @Param(description = "the first DNS for IPv6 network in the Zone", format = Format.IPV6, length = 64,
                    column = "data_center.ip6_dns1") Optional<String> ip6Dns1,
            @Param(description = "the second DNS for IPv6 network in the Zone", format = Format.IPV6, length = 64,
                    column = "data_center.ip6_dns2") Optional<String> ip6Dns2,
            @Param(description = "the first internal DNS for the Zone", format = Format.IPV4, length = 64,
                    column = "data_center.internal_dns1") Optional<String> internalDns1,
            @Param(description = "the second internal DNS for the Zone", format = Format.IPV4, length = 64,
                    column = "data_center.internal_dns2") Optional<String> internalDns2,
            @Param(description = "the guest CIDR address for the Zone", format = Format.CIDR_V4, length = 64,
                    column = "data_center.guest_network_cidr") Optional<String> guestCidrAddress,
            @Param(description = "Network domain name for the networks in the zone", column = "data_center.domain")
            Optional<String> domain,
            @Param(description = "Allocation state of this cluster for allocation of new resources")
            Optional<AllocationState> allocationState) implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            ZoneRepository zones = infra.zones();
            ZoneRepository.ZoneView zone = zones.find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + id + " (parameter id)"));
            Optional<String> newName = name.map(String::trim).filter(n -> !n.equals(zone.name()));
            if (newName.isPresent() && (newName.get().isEmpty() || zones.nameTaken(newName.get()))) {
                throw ApiException.invalidParameter("Invalid value for parameter name: " + (newName.get().isEmpty()
                        ? "a zone needs a name" : "a zone with name " + newName.get() + " already exists"));
            }
            zones.update(zones.idOf(id).orElseThrow(), new ZoneRepository.ZoneUpdate(newName, dns1, dns2, ip6Dns1,
                    ip6Dns2, internalDns1, internalDns2, guestCidrAddress, domain,
                    allocationState.map(AllocationState::name)));
            return ApiJson.object("zone", zones.find(id).orElseThrow());
        }
    }

    @Command(name = "deleteZone", description = "Deletes a Zone; refused while it has pods, storage, networks or"
            + " volumes.", access = Access.ADMIN, response = "success",
            event = "ZONE.DELETE")
    record DeleteZone(@Param(description = "the ID of the Zone", entity = Entity.ZONE) String id)
            implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            ZoneRepository.ZoneView zone = infra.zones().find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + id + " (parameter id)"));
            infra.zones().delete(infra.zones().idOf(id).orElseThrow(), zone.name());
            return ApiJson.success();
        }
    }
}
