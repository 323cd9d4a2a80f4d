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

    /**
     * The features {@code CreateRbdImageCommand} documents. They depend on each other: object-map needs
     * exclusive-lock, and fast-diff needs object-map.
     */
    public static final ProviderOption DEFAULT_FEATURES = new ProviderOption("rbd.default.features",
            "layering,exclusive-lock,object-map,fast-diff,deep-flatten",
            "RBD image features for new volumes, comma-separated. fast-diff and object-map make incremental"
                    + " backups and capacity reads cheap.");

    public static final ProviderOption DEFERRED_DELETE_SECONDS = new ProviderOption("rbd.deferred.delete.seconds", "0",
            "Seconds a deleted volume's image stays in the RBD trash before Ceph purges it; 0 deletes it at once.");

    public static final ProviderOption CAPACITY_REFRESH_SECONDS = new ProviderOption("rbd.capacity.refresh.seconds",
            "300", "How often each RBD pool's capacity (stored, max_avail and quota of the Ceph pool) is read from Ceph.");

    private static final List<ProviderOption> ALL = List.of(DEFAULT_FEATURES, DEFERRED_DELETE_SECONDS,
            CAPACITY_REFRESH_SECONDS);

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
