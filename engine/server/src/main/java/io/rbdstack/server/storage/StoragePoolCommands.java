package io.rbdstack.server.storage;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.infra.ClusterRepository;
import io.rbdstack.server.infra.PodRepository;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** createStoragePool, listStoragePools, updateStoragePool, maintenance and deleteStoragePool. */
public final class StoragePoolCommands {

    private StoragePoolCommands() {
    }

    /** What the commands share. */
    public record Deps(ZoneRepository zones, PodRepository pods, ClusterRepository clusters, StoragePoolRepository pools,
                       StorageProviders providers, StoragePoolService service, SettingsRepository settings) {

        StoragePoolView view(StoragePoolRepository.PoolRow row) {
            return views(List.of(row)).get(0);
        }

        /** The pools' views, with their allocations and tags read in one query each, not one per pool. */
        List<StoragePoolView> views(List<StoragePoolRepository.PoolRow> rows) {
            List<Long> ids = rows.stream().map(StoragePoolRepository.PoolRow::id).toList();
            Map<Long, Long> allocated = pools.allocatedBytes(ids);
            Map<Long, List<String>> tags = pools.tags(ids);
            String factor = settings.value(Setting.STORAGE_OVERPROVISIONING_FACTOR);
            return rows.stream().map(row -> {
                List<String> poolTags = tags.getOrDefault(row.id(), List.of());
                return new StoragePoolView(row.uuid(), row.zoneUuid(), row.zoneName(), row.podUuid(), row.podName(),
                        row.name(), row.hostAddress(), row.path(), ApiJson.date(row.created()), row.type(),
                        row.clusterUuid(), row.clusterName(), row.totalBytes(), allocated.getOrDefault(row.id(), 0L),
                        row.usedBytes(), row.capacityIops(), poolTags.isEmpty() ? null : String.join(",", poolTags),
                        row.status(), row.scope(), factor, row.hypervisor(), row.provider(),
                        Map.of("VOLUME_SNAPSHOT_QUIESCEVM", "false"));
            }).toList();
        }

        StoragePoolRepository.PoolRow pool(String uuid) {
            return pools.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find storage pool by id " + uuid + " (parameter id)"));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(new CreateStoragePool(deps)).register(new ListStoragePools(deps))
                .register(new UpdateStoragePool(deps)).register(new DeleteStoragePool(deps))
                .register(new Maintenance(deps, true)).register(new Maintenance(deps, false));
    }

    static final class CreateStoragePool implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("createStoragePool", "Creates a storage pool.",
                Access.ADMIN, false, "storagepool", List.of(
                required("name", ParamType.STRING, "the name for the storage pool"),
                required("url", ParamType.STRING, "the URL of the storage pool, e.g. rbd://user:secret@mon1,mon2:6789/pool"),
                required("zoneid", ParamType.UUID, "the Zone ID for the storage pool"),
                optional("podid", ParamType.UUID, "the Pod ID for the storage pool"),
                optional("clusterid", ParamType.UUID, "the cluster ID for the storage pool"),
                optional("scope", ParamType.STRING, "the scope of the storage: cluster or zone"),
                optional("hypervisor", ParamType.STRING, "hypervisor type of the hosts in zone that will be attached"),
                optional("provider", ParamType.STRING, "the storage provider name"),
                optional("tags", ParamType.STRING, "the tags for the storage pool"),
                optional("capacitybytes", ParamType.LONG, "bytes CloudStack can provision from this storage pool"),
                optional("capacityiops", ParamType.LONG, "IOPS CloudStack can provision from this storage pool"),
                optional("managed", ParamType.BOOLEAN, "whether the storage should be managed by CloudStack"),
                optional("details", ParamType.MAP, "the details for the storage pool")));

        private final Deps deps;

        CreateStoragePool(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String zoneUuid = args.requireString("zoneid");
            long zoneId = deps.zones().idOf(zoneUuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneUuid + " (parameter zoneid)"));
            Optional<String> clusterUuid = args.uuid("clusterid");
            String scope = args.string("scope").map(String::toUpperCase).orElse(clusterUuid.isPresent() ? "CLUSTER" : "ZONE");
            if (!scope.equals("CLUSTER") && !scope.equals("ZONE")) {
                throw ApiException.invalidParameter("Invalid value '" + args.string("scope").orElse("")
                        + "' for parameter scope: cluster or zone");
            }
            Long podId = null;
            Long clusterId = null;
            PoolScope poolScope = PoolScope.zone(zoneUuid);
            if (scope.equals("CLUSTER")) {
                String cuuid = clusterUuid.orElseThrow(() -> ApiException.invalidParameter(
                        "Missing parameter clusterid: a cluster-scoped pool needs a cluster"));
                ClusterRepository.ClusterRef cluster = deps.clusters().ref(cuuid).orElseThrow(() ->
                        ApiException.invalidParameter("Unable to find cluster by id " + cuuid + " (parameter clusterid)"));
                if (cluster.zoneId() != zoneId) {
                    throw ApiException.invalidParameter("Cluster " + cuuid + " is not in zone " + zoneUuid + " (parameter clusterid)");
                }
                clusterId = cluster.id();
                podId = cluster.podId();
                poolScope = PoolScope.cluster(zoneUuid, cuuid);
            }
            String hypervisor = args.string("hypervisor").orElse("KVM");
            if (!hypervisor.equalsIgnoreCase("KVM")) {
                throw ApiException.invalidParameter("Invalid value '" + hypervisor + "' for parameter hypervisor: KVM");
            }
            String url = args.requireString("url");
            StorageProviders.Loaded plugin = args.string("provider").filter(p -> !p.equalsIgnoreCase("DefaultPrimary"))
                    .flatMap(deps.providers()::byName).or(() -> deps.providers().byUrl(url))
                    .orElseThrow(() -> ApiException.invalidParameter("No storage plugin handles the url scheme of "
                            + "parameter url (give e.g. rbd://user:secret@monitor/pool) or the provider "
                            + args.string("provider").orElse("")));
            String name = args.requireString("name");
            if (deps.pools().nameTaken(zoneId, name)) {
                throw ApiException.invalidParameter("A storage pool named " + name + " already exists in zone " + zoneUuid);
            }
            PoolDefinition definition;
            try {
                definition = plugin.provider().parsePool(url, args.map("details"));
                plugin.provider().testPool(poolScope, definition);
            } catch (StorageException e) {
                throw StorageErrors.toApi(e);
            }
            List<String> tags = args.list("tags");
            String uuid;
            try {
                uuid = deps.pools().create(new StoragePoolRepository.NewPool(name, plugin.factory().name(),
                        plugin.factory().name(), poolScope, zoneId, podId, clusterId, "KVM", definition,
                        args.longValue("capacitybytes").orElse(null), args.longValue("capacityiops").orElse(null), tags));
            } catch (Exception e) {
                throw ApiException.internal("Cannot save storage pool " + name, e);
            }
            StoragePoolRepository.PoolRow row = deps.pools().find(uuid).orElseThrow();
            try {
                deps.service().attachToUpHosts(row);
                deps.service().refresh(row);
            } catch (ApiException e) {
                // Leave nothing half-made: take the pool off the hosts that got it and drop the row.
                deps.service().detachFromHosts(row);
                try {
                    deps.pools().remove(row.id());
                } catch (Exception removal) {
                    e.addSuppressed(removal);
                }
                throw e;
            }
            return ApiJson.object("storagepool", deps.view(deps.pools().find(uuid).orElseThrow()));
        }
    }

    static final class ListStoragePools implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listStoragePools", "Lists storage pools.",
                Access.ADMIN, false, "storagepool", List.of(optional("id", ParamType.UUID, "the ID of the storage pool"),
                optional("zoneid", ParamType.UUID, "the Zone ID for the storage pool"),
                optional("clusterid", ParamType.UUID, "list storage pools belongig to the specific cluster"),
                optional("name", ParamType.STRING, "the name of the storage pool"),
                optional("keyword", ParamType.STRING, "List by keyword"),
                optional("page", ParamType.INTEGER, "page number, from 1"),
                optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final Deps deps;

        ListStoragePools(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            StoragePoolRepository.PoolFilter filter = new StoragePoolRepository.PoolFilter(args.uuid("id"),
                    args.uuid("zoneid"), args.uuid("clusterid"), args.string("name"), args.keyword());
            List<StoragePoolView> views = deps.views(deps.pools().list(filter, args.paging().sql()));
            return ApiJson.list("storagepool", views, deps.pools().count(filter));
        }
    }

    static final class UpdateStoragePool implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("updateStoragePool",
                "Updates a storage pool; capacity is read again from the storage.", Access.ADMIN, false, "storagepool",
                List.of(required("id", ParamType.UUID, "the Id of the storage pool"),
                        optional("name", ParamType.STRING, "change the name of the storage pool"),
                        optional("tags", ParamType.STRING, "comma-separated list of tags for the storage pool"),
                        optional("capacitybytes", ParamType.LONG, "bytes CloudStack can provision from this storage pool")));

        private final Deps deps;

        UpdateStoragePool(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            StoragePoolRepository.PoolRow row = deps.pool(args.requireString("id"));
            args.string("name").ifPresent(name -> deps.pools().rename(row.id(), name));
            if (args.string("tags").isPresent()) {
                deps.pools().replaceTags(row.id(), args.list("tags"));
            }
            args.longValue("capacitybytes").ifPresent(limit -> {
                if (limit <= 0) {
                    throw ApiException.invalidParameter("Invalid value " + limit + " for parameter capacitybytes: must be positive");
                }
                deps.pools().setDetail(row.id(), "capacitybytes", String.valueOf(limit));
            });
            // An update is also the on-demand capacity refresh.
            deps.service().refresh(row);
            return ApiJson.object("storagepool", deps.view(deps.pool(row.uuid())));
        }
    }

    static final class DeleteStoragePool implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("deleteStoragePool", "Deletes a storage pool.",
                Access.ADMIN, false, "success", List.of(required("id", ParamType.UUID, "Storage pool id"),
                optional("forced", ParamType.BOOLEAN, "not supported: volumes must be deleted first")));

        private final Deps deps;

        DeleteStoragePool(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            StoragePoolRepository.PoolRow row = deps.pool(args.requireString("id"));
            long volumes;
            try {
                volumes = deps.pools().claimForRemoval(row.id());
            } catch (Exception e) {
                throw ApiException.internal("Cannot delete storage pool " + row.name(), e);
            }
            if (volumes > 0) {
                throw ApiException.inUse("Cannot delete storage pool " + row.name() + ": it still holds " + volumes
                        + " volume(s); delete or move them first");
            }
            deps.service().detachFromHosts(row);
            try {
                deps.pools().remove(row.id());
            } catch (Exception e) {
                deps.pools().status(row.id(), row.status());
                throw ApiException.internal("Cannot delete storage pool " + row.name(), e);
            }
            return ApiJson.success();
        }
    }

    /** enableStorageMaintenance / cancelStorageMaintenance (async, as in CloudStack). */
    static final class Maintenance implements AsyncCommand {
        private final Deps deps;
        private final boolean enable;
        private final CommandSpec spec;

        Maintenance(Deps deps, boolean enable) {
            this.deps = deps;
            this.enable = enable;
            this.spec = new CommandSpec(enable ? "enableStorageMaintenance" : "cancelStorageMaintenance",
                    enable ? "Puts storage pool into maintenance state" : "Cancels maintenance for primary storage",
                    Access.ADMIN, true, "storagepool", List.of(required("id", ParamType.UUID, "Primary storage ID")));
        }

        @Override
        public CommandSpec spec() {
            return spec;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            StoragePoolRepository.PoolRow row = deps.pool(args.requireString("id"));
            String from = enable ? "Up" : "Maintenance";
            if (!row.status().equals(from)) {
                throw ApiException.invalidParameter("Storage pool " + row.name() + " is " + row.status() + ", not " + from);
            }
            return new AsyncStart("StoragePool", row.uuid(), progress -> {
                deps.pools().status(row.id(), enable ? "Maintenance" : "Up");
                return ApiJson.object("storagepool", deps.view(deps.pool(row.uuid())));
            });
        }
    }
}
