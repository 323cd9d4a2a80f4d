package io.rbdstack.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StorageProviderFactory;
import io.rbdstack.spi.storage.StoredPool;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The storage cleanup's settle times ({@link StoragePoolService#longestTransfers}) ask each pool's provider with the
 * pool as stored but decrypt no secret: the database answers as it would (a pool row, and its encrypted secret to
 * whoever asks), and the cipher must not be called.
 */
class LongestTransfersTest {

    private static final StoragePoolRepository.PoolRow POOL = new StoragePoolRepository.PoolRow(7, "pool-uuid",
            "ceph-rbd", "RBD", "ZONE", "zone-uuid", "zone1", null, null, null, null, "10.0.0.1:6789", "rbd",
            "cloudstack", "Up", 1L << 40, 0L, null, "KVM", "RBD", Instant.EPOCH, null);

    private final SecretCipher cipher = mock(SecretCipher.class);
    private final ResultSet secretRow = mock(ResultSet.class);
    private final Jdbc jdbc = mock(Jdbc.class, invocation -> switch (invocation.getMethod().getName()) {
        case "query" -> List.of(POOL);
        // The secret's row exists: a read of it runs the caller's mapper on the encrypted value.
        case "queryOne" -> Optional.of(invocation.<Jdbc.RowMapper<?>>getArgument(1).map(secretRow));
        default -> throw new AssertionError("unexpected " + invocation);
    });

    @Test
    void theSettleTimesAskEveryPoolsProviderWithoutDecryptingItsSecret() throws Exception {
        when(secretRow.getString(1)).thenReturn("v1:encrypted");
        when(cipher.decrypt(anyString())).thenReturn("AQAAsecret==");
        StorageProvider provider = mock(StorageProvider.class);
        when(provider.longestTransfer(any())).thenReturn(Duration.ofHours(6));
        StorageProviders providers = mock(StorageProviders.class);
        when(providers.byName("RBD")).thenReturn(Optional.of(new StorageProviders.Loaded(
                mock(StorageProviderFactory.class), provider)));
        StoragePoolService service = new StoragePoolService(new StoragePoolRepository(jdbc, cipher), providers, null,
                null);

        try {
            assertEquals(Map.of(7L, Duration.ofHours(6)), service.longestTransfers());
        } finally {
            service.close();
        }

        verify(cipher, never()).decrypt(anyString());
        ArgumentCaptor<StoredPool> asked = ArgumentCaptor.forClass(StoredPool.class);
        verify(provider).longestTransfer(asked.capture());
        assertEquals("pool-uuid", asked.getValue().uuid());
        assertEquals("rbd", asked.getValue().definition().path());
        assertNull(asked.getValue().definition().secret(), "the provider gets no secret for this");
    }
}
