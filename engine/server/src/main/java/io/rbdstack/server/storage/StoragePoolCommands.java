package io.rbdstack.server.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommaList;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.infra.ClusterRepository;
import io.rbdstack.server.infra.HypervisorType;
import io.rbdstack.server.infra.PodRepository;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.volume.PoolThresholds;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** createStoragePool, listStoragePools, listStoragePoolsMetrics, updateStoragePool, maintenance and deleteStoragePool. */
public final class StoragePoolCommands {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoragePoolCommands.class);

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
                        row.status(), row.statusReason(), row.scope(), factor, row.hypervisor(), row.provider(),
                        Map.of("VOLUME_SNAPSHOT_QUIESCEVM", "false"));
            }).toList();
        }

        /** Moves a pool between Up and Maintenance in a job, refusing a pool that is not in {@code from}. */
        AsyncCommand.AsyncStart maintenance(String uuid, String from, String to) {
            StoragePoolRepository.PoolRow row = pool(uuid);
            if (!row.status().equals(from)) {
                throw ApiException.invalidParameter("Storage pool " + row.name() + " is " + row.status() + ", not " + from);
            }
            return new AsyncCommand.AsyncStart("StoragePool", row.uuid(), progress -> {
                pools.status(row.id(), to);
                return ApiJson.object("storagepool", view(pool(row.uuid())));
            });
        }

        StoragePoolRepository.PoolRow pool(String uuid) {
            return pools.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find storage pool by id " + uuid + " (parameter id)"));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateStoragePool.class, deps);
        registry.register(ListStoragePools.class, deps);
        registry.register(ListStoragePoolsMetrics.class, deps);
        registry.register(UpdateStoragePool.class, deps);
        registry.register(DeleteStoragePool.class, deps);
        registry.register(EnableStorageMaintenance.class, deps);
        registry.register(CancelStorageMaintenance.class, deps);
    }

    /** The scopes a primary storage pool may have here (CloudStack also knows host scope, for local storage). */
    enum Scope { ZONE, CLUSTER }

    @Command(name = "createStoragePool", description = "Creates a storage pool.", access = Access.ADMIN,
            response = "storagepool", event = "STORAGE.POOL.CREATE")
    record CreateStoragePool(
            @Param(description = "the name for the storage pool", column = "storage_pool.name") String name,
            @Param(description = "the URL of the storage pool, e.g. rbd://user:secret@mon1,mon2:6789/pool",
                    length = 1024) String url,
            @Param(description = "the Zone ID for the storage pool", entity = Entity.ZONE) String zoneId,
            @Param(description = "the Pod ID for the storage pool", entity = Entity.POD) Optional<String> podId,
            @Param(description = "the cluster ID for the storage pool", entity = Entity.CLUSTER)
            Optional<String> clusterId,
            @Param(description = "the scope of the storage; cluster when clusterid is given, else zone")
            Optional<Scope> scope,
            @Param(description = "hypervisor type of the hosts in zone that will be attached")
            Optional<HypervisorType> hypervisor,
            @Param(description = "the storage provider name") Optional<String> provider,
            @Param(description = "the tags for the storage pool, comma-separated", column = "storage_pool_tags.tag")
            Optional<String> tags,
            @Param(description = "bytes CloudStack can provision from this storage pool", min = 1)
            Optional<Long> capacityBytes,
            @Param(description = "IOPS CloudStack can provision from this storage pool", min = 1)
            Optional<Long> capacityIops,
            @Param(description = "whether the storage should be managed by CloudStack") Optional<Boolean> managed,
            @Param(description = "the details for the storage pool", length = 4096,
                    column = "storage_pool_details.value") Map<String, String> details)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            long zone = deps.zones().idOf(zoneId).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneId + " (parameter zoneid)"));
            Long podRowId = null;
            Long clusterRowId = null;
            PoolScope poolScope = PoolScope.zone(zoneId);
            if (scope.orElse(clusterId.isPresent() ? Scope.CLUSTER : Scope.ZONE) == Scope.CLUSTER) {
                String cuuid = clusterId.orElseThrow(() -> ApiException.invalidParameter(
                        "Missing parameter clusterid: a cluster-scoped pool needs a cluster"));
                ClusterRepository.ClusterRef cluster = deps.clusters().ref(cuuid).orElseThrow(() ->
                        ApiException.invalidParameter("Unable to find cluster by id " + cuuid + " (parameter clusterid)"));
                if (cluster.zoneId() != zone) {
                    throw ApiException.invalidParameter("Cluster " + cuuid + " is not in zone " + zoneId
                            + " (parameter clusterid)");
                }
                clusterRowId = cluster.id();
                podRowId = cluster.podId();
                poolScope = PoolScope.cluster(zoneId, cuuid);
            }
            StorageProviders.Loaded plugin = provider.filter(p -> !p.equalsIgnoreCase("DefaultPrimary"))
                    .flatMap(deps.providers()::byName).or(() -> deps.providers().byUrl(url))
                    .orElseThrow(() -> ApiException.invalidParameter("No storage plugin handles the url scheme of "
                            + "parameter url (give e.g. rbd://user:secret@monitor/pool) or the provider "
                            + provider.orElse("")));
            if (deps.pools().nameTaken(zone, name)) {
                throw ApiException.invalidParameter("A storage pool named " + name + " already exists in zone " + zoneId);
            }
            PoolDefinition definition;
            try {
                definition = plugin.provider().parsePool(url, details);
                checkFits(definition);
                plugin.provider().testPool(poolScope, definition);
            } catch (StorageException e) {
                throw StorageErrors.toApi(e);
            }
            String uuid;
            try {
                uuid = deps.pools().create(new StoragePoolRepository.NewPool(name, plugin.factory().name(),
                        plugin.factory().name(), poolScope, zone, podRowId, clusterRowId, HypervisorType.KVM.name(),
                        definition, capacityBytes.orElse(null), capacityIops.orElse(null),
                        tags.map(CommaList::parse).orElse(List.of()).stream().distinct().toList()));
            } catch (ApiException e) {
                throw e;
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

        /** What the provider parsed out of the URL must fit the columns it is stored in. */
        private static void checkFits(PoolDefinition definition) {
            if (definition.hostAddress().length() > 1024 || definition.path().length() > Param.DEFAULT_LENGTH
                    || definition.user() != null && definition.user().length() > Param.DEFAULT_LENGTH) {
                throw ApiException.invalidParameter("Invalid value for parameter url: the storage address may have at"
                        + " most 1024 characters, the pool and user names at most " + Param.DEFAULT_LENGTH + " each");
            }
        }
    }

    @Command(name = "listStoragePools", description = "Lists storage pools.", access = Access.ADMIN,
            response = "storagepool")
    record ListStoragePools(PoolListParams filter, PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            List<StoragePoolView> views = deps.views(deps.pools().list(filter.filter(), page.sql()));
            return ApiJson.list("storagepool", views, deps.pools().count(filter.filter()));
        }
    }

    /** CloudStack's metrics view of listStoragePools: the same pools, sizes in GB as text and threshold flags. */
    @Command(name = "listStoragePoolsMetrics", description = "Lists storage pool metrics", access = Access.ADMIN,
            response = "storagepool")
    record ListStoragePoolsMetrics(PoolListParams filter, PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            PoolThresholds notification = PoolThresholds.notification(deps.settings());
            PoolThresholds disable = PoolThresholds.disable(deps.settings());
            List<ObjectNode> metrics = deps.views(deps.pools().list(filter.filter(), page.sql())).stream()
                    .map(pool -> StoragePoolMetrics.of(pool, notification, disable)).toList();
            return ApiJson.list("storagepool", metrics, deps.pools().count(filter.filter()));
        }
    }

    @Command(name = "updateStoragePool", description = "Updates a storage pool; capacity is read again from the"
            + " storage.", access = Access.ADMIN, response = "storagepool", event = "UPDATE.PS")
    record UpdateStoragePool(
            @Param(description = "the Id of the storage pool", entity = Entity.STORAGE_POOL) String id,
            @Param(description = "change the name of the storage pool", column = "storage_pool.name")
            Optional<String> name,
            @Param(description = "comma-separated list of tags for the storage pool", column = "storage_pool_tags.tag")
            List<String> tags,
            @Param(description = "bytes CloudStack can provision from this storage pool", min = 1)
            Optional<Long> capacityBytes) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            StoragePoolRepository.PoolRow row = deps.pool(id);
            Optional<String> newName = name.map(String::trim).filter(n -> !n.equals(row.name()));
            if (newName.isPresent() && (newName.get().isEmpty()
                    || deps.pools().nameTaken(deps.zones().idOf(row.zoneUuid()).orElseThrow(), newName.get()))) {
                throw ApiException.invalidParameter("Invalid value for parameter name: "
                        + (newName.get().isEmpty() ? "a storage pool needs a name"
                        : "a storage pool named " + newName.get() + " already exists in zone " + row.zoneName()));
            }
            deps.pools().update(row.id(), new StoragePoolRepository.PoolUpdate(newName,
                    tags.isEmpty() ? Optional.empty() : Optional.of(tags.stream().distinct().toList()), capacityBytes));
            // An update is also the on-demand capacity refresh; the update stands even when the storage cannot
            // be read right now (the next periodic refresh tries again).
            try {
                deps.service().refresh(row);
            } catch (ApiException e) {
                LOG.warn("Storage pool {} updated, but its capacity could not be read: {}", row.name(), e.getMessage());
            }
            return ApiJson.object("storagepool", deps.view(deps.pool(row.uuid())));
        }
    }

    @Command(name = "deleteStoragePool", description = "Deletes a storage pool.", access = Access.ADMIN,
            response = "success", event = "STORAGE.POOL.DELETE")
    record DeleteStoragePool(@Param(description = "Storage pool id", entity = Entity.STORAGE_POOL) String id,
                             @Param(description = "not supported: volumes must be deleted first") Optional<Boolean> forced)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            StoragePoolRepository.PoolRow row = deps.pool(id);
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

    @Command(name = "enableStorageMaintenance", description = "Puts storage pool into maintenance state",
            access = Access.ADMIN, response = "storagepool", event = "MAINT.PREPARE.PS")
    record EnableStorageMaintenance(@Param(description = "Primary storage ID", entity = Entity.STORAGE_POOL) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            return deps.maintenance(id, "Up", "Maintenance");
        }
    }

    @Command(name = "cancelStorageMaintenance", description = "Cancels maintenance for primary storage",
            access = Access.ADMIN, response = "storagepool", event = "MAINT.CANCEL.PS")
    record CancelStorageMaintenance(@Param(description = "Primary storage ID", entity = Entity.STORAGE_POOL) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            return deps.maintenance(id, "Maintenance", "Up");
        }
    }
}
