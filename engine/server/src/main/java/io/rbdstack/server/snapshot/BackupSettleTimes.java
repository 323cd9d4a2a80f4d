package io.rbdstack.server.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How long after a snapshot's last backup attempt the files of its unaccepted attempts count as leftovers, by the
 * pool of the snapshot's volume: never less than the floor ({@link BackupAttemptLeftovers#SETTLE_AFTER}), nor less
 * than the longest transfer the pool's provider may run plus {@link #MARGIN}, since an attempt the server stopped
 * waiting for may still be writing until then. A snapshot whose volume or pool is gone takes the longest of all.
 *
 * @param byPool    the settle time of each pool's snapshots, by pool id
 * @param otherwise the settle time of snapshots of no pool in {@code byPool}: the longest of all, at least the floor
 */
record BackupSettleTimes(Map<Long, Duration> byPool, Duration otherwise) {

    /** Beyond the transfer's own bound: the agent's last writes and renames after the server stopped waiting. */
    static final Duration MARGIN = Duration.ofHours(1);

    BackupSettleTimes {
        byPool = Map.copyOf(byPool);
    }

    /** The settle times for pools whose providers may run a transfer up to {@code longestTransfers} (by pool id). */
    static BackupSettleTimes of(Duration floor, Map<Long, Duration> longestTransfers) {
        Map<Long, Duration> byPool = longestTransfers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> max(floor, e.getValue().plus(MARGIN))));
        Duration longest = byPool.values().stream().reduce(floor, BackupSettleTimes::max);
        return new BackupSettleTimes(byPool, longest);
    }

    /** The settle time of a snapshot whose volume is in pool {@code poolId} (null: no volume or pool any more). */
    Duration of(Long poolId) {
        return poolId == null ? otherwise : byPool.getOrDefault(poolId, otherwise);
    }

    /** Before when a snapshot of each pool must have been last attempted to be settled at {@code now}. */
    Map<Long, Instant> cutoffs(Instant now) {
        return byPool.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> now.minus(e.getValue())));
    }

    /** {@link #cutoffs} for snapshots of no pool there. */
    Instant otherwiseCutoff(Instant now) {
        return now.minus(otherwise);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
