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

/** createPod and listPods. */
public final class PodCommands {

    private PodCommands() {
    }

    public static void register(CommandRegistry registry, Infrastructure infra) {
        registry.register(CreatePod.class, infra);
        registry.register(ListPods.class, infra);
    }

    @Command(name = "createPod", description = "Creates a new Pod.", access = Access.ADMIN, response = "pod",
            event = "POD.CREATE")
    record CreatePod(
            @Param(description = "the name of the Pod", column = "host_pod_ref.name") String name,
            @Param(description = "the Zone ID in which the Pod will be created", entity = Entity.ZONE) String zoneId,
            @Param(description = "the gateway for the Pod", format = Format.IPV4, length = 64,
                    column = "host_pod_ref.gateway") String gateway,
            @Param(description = "the netmask for the Pod", format = Format.IPV4) String netmask,
            @Param(description = "the starting IP address for the Pod", format = Format.IPV4, length = 64,
                    column = "host_pod_ref.start_ip") Optional<String> startIp,
            @Param(description = "the ending IP address for the Pod", format = Format.IPV4, length = 64,
                    column = "host_pod_ref.end_ip") Optional<String> endIp,
            @Param(description = "Allocation state of the pod") Optional<AllocationState> allocationState)
            implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            long zone = infra.zones().idOf(zoneId).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneId + " (parameter zoneid)"));
            PodRepository pods = infra.pods();
            if (pods.nameTaken(zone, name)) {
                throw ApiException.invalidParameter("A pod with name " + name + " already exists in zone " + zoneId);
            }
            int prefix = Ipv4.prefixLength(netmask);
            if (startIp.isPresent() && endIp.isPresent()
                    && Ipv4.parse(startIp.get(), "startip") > Ipv4.parse(endIp.get(), "endip")) {
                throw ApiException.invalidParameter("Invalid value '" + endIp.get() + "' for parameter endip: before startip "
                        + startIp.get());
            }
            String uuid = pods.create(zone, name, gateway, Ipv4.network(gateway, prefix), prefix, startIp.orElse(null),
                    endIp.orElse(null), allocationState.orElse(AllocationState.Enabled).name());
            return ApiJson.object("pod", pods.list(new PodRepository.PodFilter(Optional.of(uuid), Optional.empty(),
                    Optional.empty(), Optional.empty()), "").get(0));
        }
    }

    @Command(name = "listPods", description = "Lists all Pods.", access = Access.ADMIN, response = "pod")
    record ListPods(@Param(description = "list Pods by ID", entity = Entity.POD) Optional<String> id,
                    @Param(description = "list Pods by Zone ID", entity = Entity.ZONE) Optional<String> zoneId,
                    @Param(description = "list Pods by name") Optional<String> name,
                    @Param(description = "List by keyword") Optional<String> keyword,
                    PageParams page) implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            PodRepository.PodFilter filter = new PodRepository.PodFilter(id, zoneId, name, keyword);
            return ApiJson.list("pod", infra.pods().list(filter, page.sql()), infra.pods().count(filter));
        }
    }
}
