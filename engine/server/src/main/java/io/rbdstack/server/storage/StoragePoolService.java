package io.rbdstack.server.storage;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.spi.storage.PoolCapacity;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StoredPool;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to saved pools on hosts: defined on every Up host in scope when created, on a host
 * when it connects (so reconnects and new hosts get them), removed when the pool is deleted; and
 * capacity refreshed from the storage periodically.
 */
public final class StoragePoolService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoragePoolService.class);

    private final StoragePoolRepository pools;
    private final StorageProviders providers;
    private final EngineHostGateway hosts;
    private final io.rbdstack.server.host.HostRepository hostRows;
    private final ExecutorService attacher = Executors.newSingleThreadExecutor(r -> daemon(r, "pool-attach"));

    public StoragePoolService(StoragePoolRepository pools, StorageProviders providers, EngineHostGateway hosts,
                              io.rbdstack.server.host.HostRepository hostRows) {
        this.pools = pools;
        this.providers = providers;
        this.hosts = hosts;
        this.hostRows = hostRows;
    }

    /** Defines the pool on every Up host in its scope; fails on the first host that cannot. */
    public void attachToUpHosts(StoragePoolRepository.PoolRow row) {
        StoredPool pool = pools.stored(row);
        for (String host : hosts.upHosts(pool.scope())) {
            try {
                provider(row).attachPool(host, pool);
                pools.hostAttached(row.id(), host);
            } catch (StorageException e) {
                throw StorageErrors.toApi(e);
            }
        }
    }

    /** On a host's (re)connection: define every pool it should have, in the background. */
    public void hostConnected(String hostUuid) {
        attacher.execute(() -> hostRows.zoneAndCluster(hostUuid).ifPresent(zc -> {
            for (StoragePoolRepository.PoolRow row : pools.poolsForHost(zc[0], zc[1])) {
                try {
                    provider(row).attachPool(hostUuid, pools.stored(row));
                    pools.hostAttached(row.id(), hostUuid);
                    LOG.info("Defined storage pool {} on host {}", row.name(), hostUuid);
                } catch (StorageException | RuntimeException e) {
                    LOG.warn("Could not define storage pool {} on host {}: {}", row.name(), hostUuid, e.getMessage());
                }
            }
        }));
    }

    /** Removes the pool from the hosts that have it; unreachable hosts are logged, not fatal. */
    public void detachFromHosts(StoragePoolRepository.PoolRow row) {
        StoredPool pool = pools.stored(row);
        for (String host : pools.attachedHosts(row.id())) {
            try {
                provider(row).detachPool(host, pool);
                pools.hostDetached(row.id(), host);
            } catch (StorageException e) {
                LOG.warn("Could not remove storage pool {} from host {} ({}); it stays defined there", row.name(), host,
                        e.getMessage());
            }
        }
    }

    /** Reads capacity from the storage and stores it. */
    public PoolCapacity refresh(StoragePoolRepository.PoolRow row) {
        try {
            return read(row);
        } catch (StorageException e) {
            throw StorageErrors.toApi(e);
        }
    }

    private PoolCapacity read(StoragePoolRepository.PoolRow row) throws StorageException {
        PoolCapacity capacity = provider(row).capacity(pools.stored(row));
        pools.capacity(row.id(), capacity.totalBytes(), capacity.usedBytes());
        return capacity;
    }

    /** What the capacity refresh learns about each pool, for whoever judges it (thresholds, usability). */
    public interface PoolCheck {
        /** The storage answered with the pool's capacity. */
        void read(StoragePoolRepository.PoolRow row, PoolCapacity capacity);

        /** The capacity could not be read; {@code e} says why (no host to ask, or the storage's own verdict). */
        void unreadable(StoragePoolRepository.PoolRow row, StorageException e);
    }

    /**
     * Reads the capacity of every pool (the periodic capacity refresh). A pool that cannot be read is
     * logged and the others are still read; the caller's schedule goes on whatever happens here.
     */
    public void refreshAll(PoolCheck check) {
        for (StoragePoolRepository.PoolRow row : pools.list(new StoragePoolRepository.PoolFilter(
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty()), "")) {
            try {
                PoolCapacity capacity;
                try {
                    capacity = read(row);
                } catch (StorageException e) {
                    LOG.warn("Could not refresh the capacity of storage pool {}: {}", row.name(), e.getMessage());
                    check.unreadable(row, e);
                    continue;
                }
                check.read(row, capacity);
            } catch (RuntimeException e) {
                // The database, a plugin's bug: this pool is skipped, the others are still read.
                LOG.warn("Could not refresh the capacity of storage pool {}: {}", row.name(), e.getMessage(), e);
            }
        }
    }

    /**
     * For each pool (by id) whose plugin is loaded, the longest its provider may wait for one transfer, as its options
     * stand now; a pool whose plugin is not loaded is left out (whoever needs a bound then takes the longest of all).
     * Each pool goes to its provider without its secret: the storage cleanup asks this at every run, for every pool.
     */
    public Map<Long, Duration> longestTransfers() {
        Map<Long, Duration> longest = new HashMap<>();
        for (StoragePoolRepository.PoolRow row : pools.list(new StoragePoolRepository.PoolFilter(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), "")) {
            providers.byName(row.type()).ifPresent(plugin ->
                    longest.put(row.id(), plugin.provider().longestTransfer(pools.storedWithoutSecret(row))));
        }
        return longest;
    }

    /** The plugin of the pool's type; 530 when it is not loaded (the pool outlived its plugin jar). */
    public StorageProviders.Loaded plugin(StoragePoolRepository.PoolRow row) {
        return providers.byName(row.type()).orElseThrow(() -> ApiException.internal("No storage plugin "
                + row.type() + " is loaded for pool " + row.name(), null));
    }

    private io.rbdstack.spi.storage.StorageProvider provider(StoragePoolRepository.PoolRow row) {
        return plugin(row).provider();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        attacher.shutdownNow();
    }
}
