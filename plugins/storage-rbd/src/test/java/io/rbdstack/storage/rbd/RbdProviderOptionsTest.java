package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.storage.ProviderOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RbdProviderOptionsTest {

    @Test
    void eachOptionIsDeclaredOnceWithADefaultAndHelp() {
        List<ProviderOption> all = RbdProviderOptions.all();
        assertEquals(all.size(), all.stream().map(ProviderOption::name).distinct().count());
        for (ProviderOption option : all) {
            assertTrue(option.name().startsWith("rbd."), option.name());
            assertTrue(option.defaultValue() != null, option.name());
            assertFalse(option.help().isBlank(), option.name());
        }
    }

    @Test
    void defaults() {
        assertEquals("0", RbdProviderOptions.DEFERRED_DELETE_SECONDS.defaultValue());
        assertEquals("21600", RbdProviderOptions.TRANSFER_TIMEOUT_SECONDS.defaultValue());
        assertEquals(List.of("rbd.deferred.delete.seconds", "rbd.transfer.timeout.seconds"),
                RbdProviderOptions.all().stream().map(ProviderOption::name).toList());
    }

    @Test
    void onlyTheSecretDetailIsSecret() {
        assertEquals(Set.of("secret"), RbdProviderOptions.secretKeys());
        assertEquals(List.of("user", "secret", "monitors", "pool", "port"), List.copyOf(RbdProviderOptions.detailKeys()));
        assertThrows(UnsupportedOperationException.class, () -> RbdProviderOptions.secretKeys().add("user"));
        assertThrows(UnsupportedOperationException.class, () -> RbdProviderOptions.detailKeys().add("x"));
    }

    @Test
    void detailKeysNameThemselvesAsParameters() {
        for (RbdDetailKey key : RbdDetailKey.values()) {
            assertEquals("details[]." + key.key(), key.parameter());
            assertEquals(Optional.of(key), RbdDetailKey.of(key.key()));
            assertFalse(key.help().isBlank());
        }
        assertEquals(Optional.empty(), RbdDetailKey.of("Secret"));
    }
}
