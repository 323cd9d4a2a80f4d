package io.rbdstack.server.infra;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import java.util.List;
import java.util.Optional;

/** createZone and listZones. */
public final class ZoneCommands {

    private ZoneCommands() {
    }

    public static void register(CommandRegistry registry, ZoneRepository zones) {
        registry.register(new CreateZone(zones)).register(new ListZones(zones));
    }

    static final class CreateZone implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("createZone", "Creates a Zone.", Access.ADMIN, false, "zone",
                List.of(required("name", ParamType.STRING, "the name of the Zone"),
                        required("dns1", ParamType.STRING, "the first DNS server for the Zone"),
                        required("internaldns1", ParamType.STRING, "the first internal DNS server for the Zone"),
                        required("networktype", ParamType.STRING, "network type of the zone, Basic or Advanced"),
                        optional("dns2", ParamType.STRING, "the second DNS server"),
                        optional("internaldns2", ParamType.STRING, "the second internal DNS server"),
                        optional("ip6dns1", ParamType.STRING, "the first IPv6 DNS server"),
                        optional("ip6dns2", ParamType.STRING, "the second IPv6 DNS server"),
                        optional("guestcidraddress", ParamType.STRING, "the guest CIDR address for the Zone"),
                        optional("domain", ParamType.STRING, "Network domain name for the networks in the zone"),
                        optional("description", ParamType.STRING, "the description of the Zone"),
                        optional("allocationstate", ParamType.STRING, "Allocation state: Enabled or Disabled")));

        private final ZoneRepository zones;

        CreateZone(ZoneRepository zones) {
            this.zones = zones;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String name = args.requireString("name");
            String networkType = args.requireString("networktype");
            if (!networkType.equals("Basic") && !networkType.equals("Advanced")) {
                throw ApiException.invalidParameter("Invalid value '" + networkType
                        + "' for parameter networktype: Basic or Advanced");
            }
            String allocation = args.string("allocationstate").orElse("Enabled");
            if (!allocation.equals("Enabled") && !allocation.equals("Disabled")) {
                throw ApiException.invalidParameter("Invalid value '" + allocation
                        + "' for parameter allocationstate: Enabled or Disabled");
            }
            if (zones.nameTaken(name)) {
                throw ApiException.invalidParameter("A zone with name " + name + " already exists");
            }
            String uuid = zones.create(new ZoneRepository.NewZone(name, args.string("description").orElse(null),
                    args.requireString("dns1"), args.string("dns2").orElse(null), args.string("ip6dns1").orElse(null),
                    args.string("ip6dns2").orElse(null), args.requireString("internaldns1"),
                    args.string("internaldns2").orElse(null), args.string("guestcidraddress").orElse(null),
                    args.string("domain").orElse(null), networkType, allocation));
            return ApiJson.object("zone", zones.find(uuid).orElseThrow());
        }
    }

    static final class ListZones implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listZones", "Lists zones.", Access.USER, false, "zone",
                List.of(optional("id", ParamType.UUID, "the ID of the zone"),
                        optional("name", ParamType.STRING, "the name of the zone"),
                        optional("keyword", ParamType.STRING, "List by keyword"),
                        optional("available", ParamType.BOOLEAN, "true to list only zones the caller may deploy in"),
                        optional("page", ParamType.INTEGER, "page number, from 1"),
                        optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final ZoneRepository zones;

        ListZones(ZoneRepository zones) {
            this.zones = zones;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            Optional<String> id = args.uuid("id");
            Optional<String> name = args.string("name");
            Optional<String> keyword = args.keyword();
            return ApiJson.list("zone", zones.list(id, name, keyword, args.paging().sql()), zones.count(id, name, keyword));
        }
    }
}
