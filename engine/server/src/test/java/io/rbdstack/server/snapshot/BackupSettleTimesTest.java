package io.rbdstack.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each pool's settle time: the floor, or its longest transfer and the margin, whichever is longer. */
class BackupSettleTimesTest {

    private static final Duration FLOOR = Duration.ofHours(12);

    @Test
    void aTransferShorterThanTheFloorLessTheMarginKeepsTheFloor() {
        BackupSettleTimes times = BackupSettleTimes.of(FLOOR, Map.of(1L, Duration.ofHours(6), 2L, Duration.ZERO,
                3L, Duration.ofHours(11)));
        assertEquals(FLOOR, times.of(1L));
        assertEquals(FLOOR, times.of(2L), "a provider that transfers nothing");
        assertEquals(FLOOR, times.of(3L), "11 h and the hour's margin: exactly the floor");
    }

    @Test
    void aLongerTransferWaitsItAndTheMargin() {
        BackupSettleTimes times = BackupSettleTimes.of(FLOOR, Map.of(1L, Duration.ofDays(7), 2L, Duration.ofHours(12)));
        assertEquals(Duration.ofDays(7).plusHours(1), times.of(1L));
        assertEquals(Duration.ofHours(13), times.of(2L));
    }

    @Test
    void aSnapshotOfNoKnownPoolWaitsTheLongestOfAllAndNeverLessThanTheFloor() {
        BackupSettleTimes times = BackupSettleTimes.of(FLOOR, Map.of(1L, Duration.ofDays(7), 2L, Duration.ofHours(6)));
        assertEquals(Duration.ofDays(7).plusHours(1), times.of(null), "the volume is gone");
        assertEquals(Duration.ofDays(7).plusHours(1), times.of(99L), "the pool is gone");
        assertEquals(FLOOR, BackupSettleTimes.of(FLOOR, Map.of()).of(null), "no pool at all");
    }

    @Test
    void cutoffsAreNowLessEachSettleTime() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        BackupSettleTimes times = BackupSettleTimes.of(FLOOR, Map.of(1L, Duration.ofDays(7), 2L, Duration.ofHours(6)));
        assertEquals(Map.of(1L, now.minus(Duration.ofDays(7).plusHours(1)), 2L, now.minus(FLOOR)), times.cutoffs(now));
        assertEquals(now.minus(Duration.ofDays(7).plusHours(1)), times.otherwiseCutoff(now));
    }
}
