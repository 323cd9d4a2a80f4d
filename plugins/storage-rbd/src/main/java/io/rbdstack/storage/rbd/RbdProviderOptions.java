package io.rbdstack.storage.rbd;

import io.rbdstack.spi.ValueType;
import io.rbdstack.spi.storage.ProviderOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The RBD provider's options, each declared exactly once with its name, allowed values, default and
 * help, and the detail keys whose values are secret.
 */
public final class RbdProviderOptions {

    /** Up to a year: longer keeps deleted images' space taken for no purpose anyone has asked for. */
    public static final ProviderOption DEFERRED_DELETE_SECONDS = new ProviderOption("rbd.deferred.delete.seconds",
            ValueType.wholeNumber(0, 31_536_000), "0", "Seconds a deleted volume's image stays in the RBD trash before the storage cleanup purges it; 0 deletes"
                    + " it at once.");

    /** A minute at least (no copy of a volume is quicker), a week at most (about 60 TB at 100 MB/s). */
    public static final ProviderOption TRANSFER_TIMEOUT_SECONDS = new ProviderOption("rbd.transfer.timeout.seconds",
            ValueType.wholeNumber(60, 604_800), "21600", "How long the server waits for an agent to copy a volume's data: snapshot backups, restores from"
                    + " backups, reverts to a snapshot and volumes made from snapshots (clone + flatten). Size it for"
                    + " the largest volume. Files of unaccepted backup attempts are kept at least this long plus an"
                    + " hour.");

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
