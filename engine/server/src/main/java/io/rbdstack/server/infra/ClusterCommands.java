package io.rbdstack.server.infra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import java.util.Optional;

/** addCluster (KVM only), listClusters, updateCluster and deleteCluster. */
public final class ClusterCommands {

    private ClusterCommands() {
    }

    public static void register(CommandRegistry registry, Infrastructure infra) {
        registry.register(AddCluster.class, infra);
        registry.register(ListClusters.class, infra);
        registry.register(UpdateCluster.class, infra);
        registry.register(DeleteCluster.class, infra);
    }

    /** CloudStack's cluster types; KVM clusters are always CloudManaged (ExternalManaged is for vCenter). */
    enum ClusterType { CloudManaged }

    /** Whether the cluster's hosts are managed; CloudStack's other states belong to vCenter. */
    enum ManagedState { Managed, Unmanaged }

    @Command(name = "addCluster", description = "Adds a new cluster", access = Access.ADMIN, response = "cluster",
            event = "CLUSTER.CREATE")
    record AddCluster(
            @Param(description = "the cluster name", column = "cluster.name") String clusterName,
            @Param(description = "type of the cluster") ClusterType clusterType,
            @Param(description = "hypervisor type of the cluster") HypervisorType hypervisor,
            @Param(description = "the Zone ID for the cluster", entity = Entity.ZONE) String zoneId,
            @Param(description = "the Pod ID for the host", entity = Entity.POD) String podId,
            @Param(description = "Allocation state of the cluster") Optional<AllocationState> allocationState)
            implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            PodRepository.PodRef pod = infra.pods().ref(podId).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find pod by id " + podId + " (parameter podid)"));
            ClusterRepository clusters = infra.clusters();
            if (clusters.nameTaken(pod.id(), clusterName)) {
                throw ApiException.invalidParameter("A cluster with name " + clusterName + " already exists in pod "
                        + podId);
            }
            long zone = infra.zones().idOf(zoneId).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneId + " (parameter zoneid)"));
            if (pod.zoneId() != zone) {
                throw ApiException.invalidParameter("Pod " + podId + " is not in zone " + zoneId + " (parameter zoneid)");
            }
            String uuid = clusters.create(pod.zoneId(), pod.id(), clusterName, hypervisor.name(), clusterType.name(),
                    allocationState.orElse(AllocationState.Enabled).name());
            return ApiJson.list("cluster", clusters.list(ClusterRepository.ClusterFilter.byId(uuid), ""), 1);
        }
    }

    @Command(name = "listClusters", description = "Lists clusters.", access = Access.ADMIN, response = "cluster")
    record ListClusters(@Param(description = "lists clusters by the cluster ID", entity = Entity.CLUSTER)
                        Optional<String> id,
                        @Param(description = "lists clusters by Zone ID", entity = Entity.ZONE) Optional<String> zoneId,
                        @Param(description = "lists clusters by Pod ID", entity = Entity.POD) Optional<String> podId,
                        @Param(description = "lists clusters by the cluster name") Optional<String> name,
                        @Param(description = "List by keyword") Optional<String> keyword,
                        PageParams page) implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            ClusterRepository.ClusterFilter filter = new ClusterRepository.ClusterFilter(id, zoneId, podId, name, keyword);
            return ApiJson.list("cluster", infra.clusters().list(filter, page.sql()), infra.clusters().count(filter));
        }
    }

    @Command(name = "updateCluster", description = "Updates an existing cluster", access = Access.ADMIN,
            response = "cluster",
            event = "CLUSTER.UPDATE")
    record UpdateCluster(
            @Param(description = "the ID of the Cluster", entity = Entity.CLUSTER) String id,
            @Param(description = "the cluster name", column = "cluster.name") Optional<String> clusterName,
            @Param(description = "Notify if the cluster is enabled for allocation of new resources")
            Optional<AllocationState> allocationState,
            @Param(description = "whether this cluster is managed by CloudStack") Optional<ManagedState> managedState,
            @Param(description = "hypervisor type of the cluster") Optional<HypervisorType> hypervisor,
            @Param(description = "type of the cluster") Optional<ClusterType> clusterType)
            implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            ClusterRepository clusters = infra.clusters();
            ClusterRepository.ClusterView cluster = clusters.find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find cluster by id " + id + " (parameter id)"));
            ClusterRepository.ClusterRef ref = clusters.ref(id).orElseThrow();
            Optional<String> newName = clusterName.map(String::trim).filter(n -> !n.equals(cluster.name()));
            if (newName.isPresent() && (newName.get().isEmpty() || clusters.nameTaken(ref.podId(), newName.get()))) {
                throw ApiException.invalidParameter("Invalid value for parameter clustername: " + (newName.get().isEmpty()
                        ? "a cluster needs a name" : "a cluster with name " + newName.get() + " already exists in the pod"));
            }
            clusters.update(ref.id(), new ClusterRepository.ClusterUpdate(newName,
                    allocationState.map(AllocationState::name), managedState.map(ManagedState::name)));
            return ApiJson.object("cluster", clusters.find(id).orElseThrow());
        }
    }

    @Command(name = "deleteCluster", description = "Deletes a cluster; refused while it has hosts or storage pools.",
            access = Access.ADMIN, response = "success",
            event = "CLUSTER.DELETE")
    record DeleteCluster(@Param(description = "the cluster ID", entity = Entity.CLUSTER) String id)
            implements SyncCommand<Infrastructure> {

        @Override
        public ObjectNode execute(Caller caller, Infrastructure infra) {
            ClusterRepository.ClusterView cluster = infra.clusters().find(id).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find cluster by id " + id + " (parameter id)"));
            infra.clusters().delete(infra.clusters().ref(id).orElseThrow().id(), cluster.name());
            return ApiJson.success();
        }
    }
}
