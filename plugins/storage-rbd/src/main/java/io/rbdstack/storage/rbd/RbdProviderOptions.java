package io.rbdstack.storage.rbd;

import io.rbdstack.spi.storage.ProviderOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The RBD provider's options, each declared exactly once with its name, default and help, and the
 * detail keys whose values are secret.
 */
public final class RbdProviderOptions {

    public static final ProviderOption DEFERRED_DELETE_SECONDS = new ProviderOption("rbd.deferred.delete.seconds", "0",
            "Seconds a deleted volume's image stays in the RBD trash before the storage cleanup purges it; 0 deletes"
                    + " it at once.");

    public static final ProviderOption TRANSFER_TIMEOUT_SECONDS = new ProviderOption("rbd.transfer.timeout.seconds",
            "21600", "How long the server waits for an agent to copy a volume's data: snapshot backups, restores from"
                    + " backups, reverts to a snapshot and volumes made from snapshots (clone + flatten). Size it for"
                    + " the largest volume.");

    // Image features are fixed by CreateRbdImageCommand and capacity is read every
    // storage.stats.interval: neither is an option until something reads it.
    private static final List<ProviderOption> ALL = List.of(DEFERRED_DELETE_SECONDS, TRANSFER_TIMEOUT_SECONDS);

    private RbdProviderOptions() {
    }

    public static List<ProviderOption> all() {
        return ALL;
    }

    /** The detail keys whose values are secret ({@code secret}), so the engine encrypts and masks them. */
    public static Set<String> secretKeys() {
        return Arrays.stream(RbdDetailKey.values()).filter(RbdDetailKey::isSecret).map(RbdDetailKey::key)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Every detail key an RBD pool accepts, in declaration order. */
    public static Set<String> detailKeys() {
        Set<String> keys = Arrays.stream(RbdDetailKey.values()).map(RbdDetailKey::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return Collections.unmodifiableSet(keys);
    }
}
