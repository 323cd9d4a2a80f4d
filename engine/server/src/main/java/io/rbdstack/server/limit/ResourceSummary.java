package io.rbdstack.server.limit;

import java.util.Map;

/**
 * The limit, total and what is available of each limited resource, as CloudStack's account and domain
 * responses show them: counts as numbers, storage in GiB, "Unlimited" where there is no limit.
 */
public record ResourceSummary(String volumelimit, long volumetotal, String volumeavailable,
                              String snapshotlimit, long snapshottotal, String snapshotavailable,
                              String primarystoragelimit, long primarystoragetotal, String primarystorageavailable,
                              String secondarystoragelimit, float secondarystoragetotal,
                              String secondarystorageavailable) {

    static final String UNLIMITED = "Unlimited";

    /** @param limits and {@code used} per type, in the unit counted (bytes for storage) */
    public static ResourceSummary of(Map<ResourceType, Long> limits, Map<ResourceType, Long> used) {
        long volumeLimit = limits.get(ResourceType.volume);
        long volumes = used.get(ResourceType.volume);
        long snapshotLimit = limits.get(ResourceType.snapshot);
        long snapshots = used.get(ResourceType.snapshot);
        long primaryLimit = limits.get(ResourceType.primary_storage);
        long primaryGib = used.get(ResourceType.primary_storage) / ResourceType.GIB;
        long secondaryLimit = limits.get(ResourceType.secondary_storage);
        float secondaryGib = used.get(ResourceType.secondary_storage) / (float) ResourceType.GIB;
        return new ResourceSummary(text(volumeLimit), volumes, available(volumeLimit, volumes),
                text(snapshotLimit), snapshots, available(snapshotLimit, snapshots),
                gib(primaryLimit), primaryGib, primaryLimit == ResourceType.UNLIMITED ? UNLIMITED
                        : String.valueOf(primaryLimit / ResourceType.GIB - primaryGib),
                gib(secondaryLimit), secondaryGib, secondaryLimit == ResourceType.UNLIMITED ? UNLIMITED
                        : String.valueOf((double) secondaryLimit / ResourceType.GIB - secondaryGib));
    }

    private static String text(long limit) {
        return limit == ResourceType.UNLIMITED ? UNLIMITED : String.valueOf(limit);
    }

    private static String gib(long limit) {
        return limit == ResourceType.UNLIMITED ? UNLIMITED : String.valueOf(limit / ResourceType.GIB);
    }

    private static String available(long limit, long used) {
        return limit == ResourceType.UNLIMITED ? UNLIMITED : String.valueOf(limit - used);
    }
}
