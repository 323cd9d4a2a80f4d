package io.rbdstack.server.volume;

import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StoredPool;
import java.util.Optional;

/** A volume's pool with the plugin that drives it: what the background volume work needs to reach the storage. */
public record VolumeStorage(StoragePoolRepository.PoolRow pool, StorageProvider provider, StoredPool stored) {

    /** Empty when the pool is gone (deleted from the cloud). */
    public static Optional<VolumeStorage> of(long poolId, StoragePoolRepository pools, StoragePoolService poolService) {
        return pools.findById(poolId).map(row -> new VolumeStorage(row, poolService.plugin(row).provider(),
                pools.stored(row)));
    }
}
