package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.storage.ProviderOption;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void everyOptionsDefaultIsAllowedByItsOwnRange() {
        List<ProviderOption> options = new RbdStorageProviderFactory().options();
        assertEquals(3, options.size());
        for (ProviderOption option : options) {
            assertTrue(option.type().accepts(option.defaultValue()), option.name() + " default "
                    + option.defaultValue() + " " + option.type().problem(option.defaultValue()));
        }
    }

    @Test
    void theRangesRefuseTheValuesThatMakeNoSense() {
        assertEquals(Optional.of("must be a whole number from 60 to 604800"),
                RbdProviderOptions.TRANSFER_TIMEOUT_SECONDS.type().problem("0"));
        assertEquals(Optional.of("must be a whole number from 5 to 3600"),
                RbdStorageProviderFactory.COMMAND_TIMEOUT_SECONDS.type().problem("0"));
        assertEquals(Optional.of("must be a whole number from 0 to 31536000"),
                RbdProviderOptions.DEFERRED_DELETE_SECONDS.type().problem("-4"));
    }

    /** The README's settings table lists each option with its default and allowed values, as for the engine's. */
    @Test
    void readmeListsEveryOptionWithItsDefaultAndRange() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        String readme = Files.readString(dir.resolve("README.md"));
        for (ProviderOption option : new RbdStorageProviderFactory().options()) {
            String row = "| `" + option.name() + "` (RBD plugin) | `" + option.defaultValue() + "` | "
                    + option.type().allowed() + " | at once |";
            assertTrue(readme.contains(row), "README settings table lacks the row " + row);
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
