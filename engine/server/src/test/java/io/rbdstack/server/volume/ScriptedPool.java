package io.rbdstack.server.volume;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.storage.StorageProviders;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageProviderFactory;
import io.rbdstack.spi.storage.StoredPool;
import java.time.Instant;
import java.util.Optional;

/** The volume unit tests' storage: pool 5 ("ceph1") in mocked pool repositories, its plugin a {@link ScriptedStorage}. */
final class ScriptedPool {

    final ScriptedStorage storage = new ScriptedStorage();
    final StoragePoolRepository pools = mock(StoragePoolRepository.class);
    final StoragePoolService poolService = mock(StoragePoolService.class);
    final StoragePoolRepository.PoolRow pool = new StoragePoolRepository.PoolRow(5, "pool-uuid", "ceph1", "RBD",
            "ZONE", "zone-uuid", "z", null, null, null, null, "10.0.0.1", "rbd", "cloudstack", "Up", 1L << 30, 0L, null,
            "KVM", "RBD", Instant.now(), null);

    ScriptedPool() {
        when(poolService.plugin(pool)).thenReturn(new StorageProviders.Loaded(mock(StorageProviderFactory.class), storage));
        when(pools.findById(5)).thenReturn(Optional.of(pool));
        when(pools.stored(pool)).thenReturn(new StoredPool("pool-uuid", "ceph1", PoolScope.zone("zone-uuid"),
                new PoolDefinition("10.0.0.1", "rbd", "cloudstack", null, "rbd://")));
    }
}
