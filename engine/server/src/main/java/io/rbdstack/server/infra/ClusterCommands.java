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

/** addCluster (KVM only) and listClusters. */
public final class ClusterCommands {

    private ClusterCommands() {
    }

    public static void register(CommandRegistry registry, ZoneRepository zones, PodRepository pods,
                                ClusterRepository clusters) {
        registry.register(new AddCluster(zones, pods, clusters)).register(new ListClusters(clusters));
    }

    static final class AddCluster implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("addCluster", "Adds a new cluster", Access.ADMIN, false,
                "cluster", List.of(required("clustername", ParamType.STRING, "the cluster name"),
                required("clustertype", ParamType.STRING, "type of the cluster: CloudManaged, ExternalManaged"),
                required("hypervisor", ParamType.STRING, "hypervisor type of the cluster: KVM"),
                required("zoneid", ParamType.UUID, "the Zone ID for the cluster"),
                required("podid", ParamType.UUID, "the Pod ID for the host"),
                optional("allocationstate", ParamType.STRING, "Allocation state: Enabled or Disabled")));

        private final ZoneRepository zones;
        private final PodRepository pods;
        private final ClusterRepository clusters;

        AddCluster(ZoneRepository zones, PodRepository pods, ClusterRepository clusters) {
            this.zones = zones;
            this.pods = pods;
            this.clusters = clusters;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String hypervisor = args.requireString("hypervisor");
            if (!hypervisor.equalsIgnoreCase("KVM")) {
                throw ApiException.invalidParameter("Invalid value '" + hypervisor
                        + "' for parameter hypervisor: rbdstack manages KVM clusters only");
            }
            String clusterType = args.requireString("clustertype");
            if (!clusterType.equals("CloudManaged")) {
                throw ApiException.invalidParameter("Invalid value '" + clusterType
                        + "' for parameter clustertype: KVM clusters are CloudManaged");
            }
            String podUuid = args.requireString("podid");
            PodRepository.PodRef pod = pods.ref(podUuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find pod by id " + podUuid + " (parameter podid)"));
            String zoneUuid = args.requireString("zoneid");
            String name = args.requireString("clustername");
            if (clusters.nameTaken(pod.id(), name)) {
                throw ApiException.invalidParameter("A cluster with name " + name + " already exists in pod " + podUuid);
            }
            long zoneId = zones.idOf(zoneUuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneUuid + " (parameter zoneid)"));
            if (pod.zoneId() != zoneId) {
                throw ApiException.invalidParameter("Pod " + podUuid + " is not in zone " + zoneUuid + " (parameter zoneid)");
            }
            String uuid = clusters.create(pod.zoneId(), pod.id(), name, "KVM", clusterType,
                    args.string("allocationstate").orElse("Enabled"));
            return ApiJson.list("cluster", clusters.list(ClusterRepository.ClusterFilter.byId(uuid), ""), 1);
        }
    }

    static final class ListClusters implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listClusters", "Lists clusters.", Access.ADMIN, false,
                "cluster", List.of(optional("id", ParamType.UUID, "lists clusters by the cluster ID"),
                optional("zoneid", ParamType.UUID, "lists clusters by Zone ID"),
                optional("podid", ParamType.UUID, "lists clusters by Pod ID"),
                optional("name", ParamType.STRING, "lists clusters by the cluster name"),
                optional("keyword", ParamType.STRING, "List by keyword"),
                optional("page", ParamType.INTEGER, "page number, from 1"),
                optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final ClusterRepository clusters;

        ListClusters(ClusterRepository clusters) {
            this.clusters = clusters;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            ClusterRepository.ClusterFilter filter = new ClusterRepository.ClusterFilter(args.uuid("id"),
                    args.uuid("zoneid"), args.uuid("podid"), args.string("name"), args.keyword());
            return ApiJson.list("cluster", clusters.list(filter, args.paging().sql()), clusters.count(filter));
        }
    }
}
