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

/** createPod, listPods, updatePod and deletePod. */
public final class PodCommands {

    private PodCommands() {
    }

    public static void register(CommandRegistry registry, Infrastructure infra) {
        registry.register(CreatePod.class, infra);
        registry.register(ListPods.class, infra);
        registry.register(UpdatePod.class, infra);
        registry.register(DeletePod.class, infra);
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

    @Command(name = "updatePod", description = "Updates a Pod.", access = Access.ADMIN, response = "pod",
            event = "POD.EDIT")
    record UpdatePod(
            @Param(description = "the ID of the Pod", entity = Entity.POD) String id,
            @Param(description = "the name of the Pod", column = "host_pod_ref.name") Optional<String> name,
            @Param(description = "the gateway for the Pod", format = Format.IPV4, length = 64,
                    column = "host_pod_ref.gateway") Optional<String> gateway,
            @Param(description = "the netmask of the Pod", format = Format.IPV4) Optional<String> netmask,
            @Param(description = "the starting IP address for the Pod", format = Format.IPV4, length = 64,
                    column = "host_pod_ref.start_ip") Optional<String> startIp,
            @Param(description = "the ending IP address for the Pod", format = Format.IPV4, length = 64,
                    column = "host_pod_ref.end_ip") Optional<String> endIp,
            @Param(description = "Allocation state of this cluster for allocation of new resources")
            Optional<AllocationState> allocationState) implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            PodRepository pods = infra.pods();
            PodRepository.PodView pod = pods.find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find pod by id " + id + " (parameter id)"));
            PodRepository.PodRef ref = pods.ref(id).orElseThrow();
            Optional<String> newName = name.map(String::trim).filter(n -> !n.equals(pod.name()));
            if (newName.isPresent() && (newName.get().isEmpty() || pods.nameTaken(ref.zoneId(), newName.get()))) {
                throw ApiException.invalidParameter("Invalid value for parameter name: " + (newName.get().isEmpty()
                        ? "a pod needs a name" : "a pod with name " + newName.get() + " already exists in the zone"));
            }
            String newGateway = gateway.orElse(pod.gateway());
            int prefix = Ipv4.prefixLength(netmask.orElse(pod.netmask()));
            String start = startIp.orElse(pod.startip() == null ? null : pod.startip().get(0));
            String end = endIp.orElse(pod.endip() == null ? null : pod.endip().get(0));
            if (start != null && end != null && Ipv4.parse(start, "startip") > Ipv4.parse(end, "endip")) {
                throw ApiException.invalidParameter("Invalid value '" + end + "' for parameter endip: before startip "
                        + start);
            }
            boolean network = gateway.isPresent() || netmask.isPresent();
            pods.update(ref.id(), new PodRepository.PodUpdate(newName, gateway,
                    network ? Optional.of(Ipv4.network(newGateway, prefix)) : Optional.empty(),
                    netmask.isPresent() ? Optional.of(prefix) : Optional.empty(), startIp, endIp,
                    allocationState.map(AllocationState::name)));
            return ApiJson.object("pod", pods.find(id).orElseThrow());
        }
    }

    @Command(name = "deletePod", description = "Deletes a Pod; refused while it has clusters or hosts.",
            access = Access.ADMIN, response = "success",
            event = "POD.DELETE")
    record DeletePod(@Param(description = "the ID of the Pod", entity = Entity.POD) String id)
            implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            PodRepository.PodView pod = infra.pods().find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find pod by id " + id + " (parameter id)"));
            infra.pods().delete(infra.pods().ref(id).orElseThrow().id(), pod.name());
            return ApiJson.success();
        }
    }
}
