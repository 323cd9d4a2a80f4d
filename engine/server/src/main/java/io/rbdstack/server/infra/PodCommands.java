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

/** createPod and listPods. */
public final class PodCommands {

    private PodCommands() {
    }

    public static void register(CommandRegistry registry, ZoneRepository zones, PodRepository pods) {
        registry.register(new CreatePod(zones, pods)).register(new ListPods(pods));
    }

    static final class CreatePod implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("createPod", "Creates a new Pod.", Access.ADMIN, false, "pod",
                List.of(required("name", ParamType.STRING, "the name of the Pod"),
                        required("zoneid", ParamType.UUID, "the Zone ID in which the Pod will be created"),
                        required("gateway", ParamType.STRING, "the gateway for the Pod"),
                        required("netmask", ParamType.STRING, "the netmask for the Pod"),
                        optional("startip", ParamType.STRING, "the starting IP address for the Pod"),
                        optional("endip", ParamType.STRING, "the ending IP address for the Pod"),
                        optional("allocationstate", ParamType.STRING, "Allocation state: Enabled or Disabled")));

        private final ZoneRepository zones;
        private final PodRepository pods;

        CreatePod(ZoneRepository zones, PodRepository pods) {
            this.zones = zones;
            this.pods = pods;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String zoneUuid = args.requireString("zoneid");
            long zoneId = zones.idOf(zoneUuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneUuid + " (parameter zoneid)"));
            String name = args.requireString("name");
            if (pods.nameTaken(zoneId, name)) {
                throw ApiException.invalidParameter("A pod with name " + name + " already exists in zone " + zoneUuid);
            }
            String gateway = args.requireString("gateway");
            Ipv4.parse(gateway, "gateway");
            int prefix = Ipv4.prefixLength(args.requireString("netmask"));
            Optional<String> start = args.string("startip");
            Optional<String> end = args.string("endip");
            start.ifPresent(ip -> Ipv4.parse(ip, "startip"));
            end.ifPresent(ip -> Ipv4.parse(ip, "endip"));
            if (start.isPresent() && end.isPresent() && Ipv4.parse(start.get(), "startip") > Ipv4.parse(end.get(), "endip")) {
                throw ApiException.invalidParameter("Invalid value '" + end.get() + "' for parameter endip: before startip " + start.get());
            }
            String uuid = pods.create(zoneId, name, gateway, Ipv4.network(gateway, prefix), prefix, start.orElse(null),
                    end.orElse(null), args.string("allocationstate").orElse("Enabled"));
            return ApiJson.object("pod", pods.list(new PodRepository.PodFilter(Optional.of(uuid), Optional.empty(),
                    Optional.empty(), Optional.empty()), "").get(0));
        }
    }

    static final class ListPods implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listPods", "Lists all Pods.", Access.ADMIN, false, "pod",
                List.of(optional("id", ParamType.UUID, "list Pods by ID"),
                        optional("zoneid", ParamType.UUID, "list Pods by Zone ID"),
                        optional("name", ParamType.STRING, "list Pods by name"),
                        optional("keyword", ParamType.STRING, "List by keyword"),
                        optional("page", ParamType.INTEGER, "page number, from 1"),
                        optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final PodRepository pods;

        ListPods(PodRepository pods) {
            this.pods = pods;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            PodRepository.PodFilter filter = new PodRepository.PodFilter(args.uuid("id"), args.uuid("zoneid"),
                    args.string("name"), args.keyword());
            return ApiJson.list("pod", pods.list(filter, args.paging().sql()), pods.count(filter));
        }
    }
}
