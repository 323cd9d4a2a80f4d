package io.rbdstack.server.volume;

import io.rbdstack.server.api.ApiException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Picks the primary storage pool of a new volume: among the zone's Up pools, those whose tags
 * include every tag of the disk offering, that are under the disable thresholds ({@link PoolThresholds})
 * and that have room for the size (see {@link PoolAllocation}); of those the one with the most room
 * left, the oldest on a tie.
 */
public final class StoragePoolChooser {

    /** An Up pool of the zone, as the choice needs it; {@code usedBytes}: as last read from the storage. */
    public record Candidate(long id, String uuid, String name, Set<String> tags, PoolAllocation allocation,
                            Long usedBytes) {
        public Candidate {
            tags = Set.copyOf(tags);
        }

        public Candidate(long id, String uuid, String name, Set<String> tags, PoolAllocation allocation) {
            this(id, uuid, name, tags, allocation, null);
        }
    }

    /**
     * A pool of the zone that takes no new volumes, as the 533's text names it: "pool p is {status}[: reason]"
     * (Alert because its hosts cannot use it, or in a Disabled zone, pod or cluster).
     */
    public record Unusable(String name, String status, String reason) {
    }

    private StoragePoolChooser() {
    }

    /**
     * @param zone         the zone's name, for the message
     * @param requiredTags the disk offering's tags (none without an offering)
     * @throws ApiException 533 naming the size, the tags and the most room there is when no pool fits
     */
    public static Candidate choose(String zone, List<Candidate> upPools, Set<String> requiredTags, long sizeBytes,
                                   BigDecimal overprovisioningFactor) {
        return choose(zone, upPools, List.of(), requiredTags, sizeBytes, overprovisioningFactor, PoolThresholds.NONE);
    }

    /**
     * @param unusable the zone's pools that are not Up because their hosts cannot use them, named in the 533
     * @param thresholds the disable thresholds; a pool over one takes no new volume
     */
    public static Candidate choose(String zone, List<Candidate> upPools, List<Unusable> unusable,
                                   Set<String> requiredTags, long sizeBytes, BigDecimal overprovisioningFactor,
                                   PoolThresholds thresholds) {
        String need = "a volume of " + VolumeSize.describe(sizeBytes)
                + (requiredTags.isEmpty() ? "" : " with storage tags " + sorted(requiredTags));
        List<Candidate> withTags = upPools.stream().filter(p -> p.tags().containsAll(requiredTags)).toList();
        if (withTags.isEmpty()) {
            throw ApiException.insufficientCapacity("No Up primary storage pool in zone " + zone + " can take " + need
                    + (!requiredTags.isEmpty() ? ": no Up pool there has all these tags"
                    : unusable.isEmpty() ? ": the zone has none" : ": none takes new volumes")
                    + unusableText(unusable));
        }
        List<String> excluded = new java.util.ArrayList<>();
        List<Candidate> tagged = withTags.stream().filter(p -> {
            java.util.Optional<String> why = thresholds.excludes(p.name(), p.allocation(), p.usedBytes(), sizeBytes,
                    overprovisioningFactor);
            why.ifPresent(excluded::add);
            return why.isEmpty();
        }).toList();
        if (tagged.isEmpty()) {
            throw ApiException.insufficientCapacity("No primary storage pool in zone " + zone + " can take " + need
                    + ": " + String.join("; ", excluded) + unusableText(unusable));
        }
        Comparator<Candidate> byRoom = Comparator.comparingLong(p -> p.allocation().room(overprovisioningFactor));
        Candidate roomiest = tagged.stream().max(byRoom.thenComparing(Candidate::id, Comparator.reverseOrder()))
                .orElseThrow();
        long room = roomiest.allocation().room(overprovisioningFactor);
        if (sizeBytes > room) {
            throw ApiException.insufficientCapacity("Insufficient capacity for " + need + " in zone " + zone + ": the most"
                    + " room left on the " + tagged.size() + " Up pool(s) that qualify is " + VolumeSize.describe(room)
                    + " on pool " + roomiest.name() + " (allocated + size may reach total x storage.overprovisioning.factor "
                    + overprovisioningFactor.toPlainString() + ")");
        }
        return roomiest;
    }

    /**
     * Checks that a volume on {@code pool} may grow by {@code extraBytes}.
     *
     * @throws ApiException 533 naming the growth and the room left
     */
    public static void checkGrowth(String poolName, PoolAllocation pool, long extraBytes,
                                   BigDecimal overprovisioningFactor) {
        if (!pool.fits(extraBytes, overprovisioningFactor)) {
            throw ApiException.insufficientCapacity("Insufficient capacity on primary storage pool " + poolName
                    + " to grow a volume by " + VolumeSize.describe(extraBytes) + ": "
                    + VolumeSize.describe(pool.room(overprovisioningFactor)) + " room left (allocated + size may reach"
                    + " total x storage.overprovisioning.factor " + overprovisioningFactor.toPlainString() + ")");
        }
    }

    /** " (pool p is Alert: reason; …)", or nothing. */
    private static String unusableText(List<Unusable> unusable) {
        if (unusable.isEmpty()) {
            return "";
        }
        return " (" + String.join("; ", unusable.stream().map(p -> "pool " + p.name() + " is " + p.status()
                + (p.reason() == null ? "" : ": " + p.reason())).toList()) + ")";
    }

    private static String sorted(Collection<String> tags) {
        return String.join(",", tags.stream().sorted().toList());
    }
}
