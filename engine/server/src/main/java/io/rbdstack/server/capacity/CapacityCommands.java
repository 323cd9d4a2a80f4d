package io.rbdstack.server.capacity;

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
import io.rbdstack.server.api.Paging;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.imagestore.ImageStoreCapacity;
import io.rbdstack.server.imagestore.ImageStoreRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** listCapacity: primary storage used and allocated, and secondary storage, per zone, pod or cluster. */
public final class CapacityCommands {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityCommands.class);

    private CapacityCommands() {
    }

    /** What the command needs. */
    public record Deps(StoragePoolRepository pools, StoragePoolService poolService, ImageStoreRepository stores,
                       ImageStoreCapacity storeCapacity, SettingsRepository settings) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(ListCapacity.class, deps);
    }

    /** sortby's one value. */
    enum SortBy { usage }

    @Command(name = "listCapacity", description = "Lists all the system wide capacities (storage here: 2 primary"
            + " storage used, 3 primary storage allocated, 6 secondary storage).", access = Access.ADMIN,
            response = "capacity")
    record ListCapacity(
            @Param(description = "lists capacity by the Zone ID", entity = Entity.ZONE) Optional<String> zoneId,
            @Param(description = "lists capacity by the Pod ID", entity = Entity.POD) Optional<String> podId,
            @Param(description = "lists capacity by the Cluster ID", entity = Entity.CLUSTER) Optional<String> clusterId,
            @Param(description = "lists capacity by type* CAPACITY_TYPE_STORAGE = 2* CAPACITY_TYPE_STORAGE_ALLOCATED ="
                    + " 3* CAPACITY_TYPE_SECONDARY_STORAGE = 6", min = 0, max = 100) Optional<Integer> type,
            @Param(description = "Sort the results. Available values: Usage") Optional<SortBy> sortBy,
            @Param(description = "recalculate capacities and fetch the latest") Optional<Boolean> fetchLatest,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            StoragePoolRepository.PoolFilter filter = new StoragePoolRepository.PoolFilter(Optional.empty(), zoneId,
                    clusterId, Optional.empty(), Optional.empty());
            List<StoragePoolRepository.PoolRow> rows = deps.pools().list(filter, "").stream()
                    .filter(p -> podId.isEmpty() || podId.get().equals(p.podUuid())).toList();
            if (fetchLatest.orElse(false)) {
                refresh(deps, rows);
                rows = deps.pools().list(filter, "").stream()
                        .filter(p -> podId.isEmpty() || podId.get().equals(p.podUuid())).toList();
            }
            Map<Long, Long> allocated = deps.pools().allocatedBytes(rows.stream()
                    .map(StoragePoolRepository.PoolRow::id).toList());
            List<CapacityCalculator.PoolFigures> pools = rows.stream().map(p -> new CapacityCalculator.PoolFigures(
                    new CapacityCalculator.Place(p.zoneUuid(), p.zoneName(), p.podUuid(), p.podName(), p.clusterUuid(),
                            p.clusterName()), orZero(p.totalBytes()), orZero(p.usedBytes()),
                    allocated.getOrDefault(p.id(), 0L))).toList();
            List<CapacityCalculator.StoreFigures> stores = deps.stores().list(new ImageStoreRepository.Filter(
                    Optional.empty(), Optional.empty(), zoneId, Optional.empty(), Optional.empty()), "").stream()
                    .map(s -> new CapacityCalculator.StoreFigures(new CapacityCalculator.Place(s.zoneUuid(),
                            s.zoneName(), null, null, null, null), orZero(s.totalBytes()), orZero(s.usedBytes())))
                    .toList();
            CapacityCalculator.Level level = clusterId.isPresent() ? CapacityCalculator.Level.CLUSTER
                    : podId.isPresent() ? CapacityCalculator.Level.POD : CapacityCalculator.Level.ZONE;
            List<CapacityCalculator.CapacityView> lines = CapacityCalculator.capacities(pools, stores, factor(deps),
                    level, type, sortBy.isPresent());
            Paging paging = page.paging();
            List<CapacityCalculator.CapacityView> shown = paging.pageSize() == Paging.ALL ? lines : lines.stream()
                    .skip((long) (paging.page() - 1) * paging.pageSize()).limit(paging.pageSize()).toList();
            return ApiJson.list("capacity", shown, lines.size());
        }

        /** fetchlatest: every pool's and store's figures read again from the storage; one that fails keeps its own. */
        private static void refresh(Deps deps, List<StoragePoolRepository.PoolRow> rows) {
            for (StoragePoolRepository.PoolRow row : rows) {
                try {
                    deps.poolService().refresh(row);
                } catch (ApiException e) {
                    LOG.warn("listCapacity fetchlatest: storage pool {} not read: {}", row.name(), e.getMessage());
                }
            }
            deps.storeCapacity().refresh();
        }

        private static BigDecimal factor(Deps deps) {
            try {
                return new BigDecimal(deps.settings().value(Setting.STORAGE_OVERPROVISIONING_FACTOR).trim());
            } catch (NumberFormatException e) {
                return new BigDecimal(Setting.STORAGE_OVERPROVISIONING_FACTOR.defaultValue());
            }
        }

        private static long orZero(Long value) {
            return value == null ? 0 : value;
        }
    }
}
