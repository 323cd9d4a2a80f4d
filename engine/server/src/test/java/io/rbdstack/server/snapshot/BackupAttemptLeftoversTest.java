package io.rbdstack.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.imagestore.ImageStoreRepository;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.store.DeleteBackupLeftoversCommand;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Which snapshots a run of the leftovers cleanup clears, which it puts back, and when it stops. */
class BackupAttemptLeftoversTest {

    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

    /** A clock that moves only when told. */
    private static final class StepClock extends Clock {
        private Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private static SnapshotRepository.AttemptedBackup snapshot(long id) {
        return new SnapshotRepository.AttemptedBackup(id, "snap-" + id, 2, 3, 4L, 1, NOW.minus(Duration.ofDays(1))
                .plusSeconds(id));
    }

    private static ImageStoreRepository oneStore() {
        ImageStoreRepository stores = mock(ImageStoreRepository.class);
        when(stores.ofZone(1)).thenReturn(List.of(new ImageStoreRepository.StoreRow(9, "store-9", "nfs", "nfs",
                "nfs://server/export", "NFS", 1, "zone-1", "zone", null, null)));
        return stores;
    }

    // An always-failing snapshot (a store out of reach, a key that may not list, an old agent) left as it was
    // stayed first of the oldest-first queue: 100 of them took every run, and no other snapshot was ever cleared.
    @Test
    void aSnapshotThatFailsGoesBehindTheOthersForAnHour() throws Exception {
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(Map.of(), NOW.minus(BackupAttemptLeftovers.SETTLE_AFTER),
                BackupAttemptLeftovers.PER_RUN)).thenReturn(List.of(snapshot(1), snapshot(2)));
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(eq(PoolScope.zone("zone-1")), any(AgentCommand.class), any(Duration.class)))
                .thenAnswer(call -> ((DeleteBackupLeftoversCommand) call.getArgument(1)).prefix().equals("snap-1.")
                        ? GenericAnswer.failure("store out of reach") : GenericAnswer.ok());

        int cleared = new BackupAttemptLeftovers(snapshots, oneStore(), hosts, Map::of, new StepClock()).deleteSettled();

        assertEquals(1, cleared);
        verify(snapshots).backupAttemptsCleared(2, snapshot(2).attempted());
        verify(snapshots, never()).backupAttemptsCleared(eq(1L), any());
        // Settled again an hour from now: behind every snapshot settled before then.
        verify(snapshots).backupAttemptsRetryAt(1, snapshot(1).attempted(),
                NOW.minus(BackupAttemptLeftovers.SETTLE_AFTER).plus(Duration.ofHours(1)));
        verify(snapshots, never()).backupAttemptsRetryAt(eq(2L), any(), any());
    }

    // Each snapshot costs one command per store of its zone, each up to a minute: a run of 100 slow ones held the
    // storage cleanup (and its other steps) for hours.
    @Test
    void aRunStopsSendingOnceItsTimeIsSpent() throws Exception {
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(any(), any(), anyInt()))
                .thenReturn(LongStream.rangeClosed(1, 10).mapToObj(BackupAttemptLeftoversTest::snapshot).toList());
        StepClock clock = new StepClock();
        List<String> sent = new CopyOnWriteArrayList<>();
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class))).thenAnswer(call -> {
            sent.add(((DeleteBackupLeftoversCommand) call.getArgument(1)).prefix());
            clock.advance(Duration.ofMinutes(2)); // a slow store
            return GenericAnswer.ok();
        });

        int cleared = new BackupAttemptLeftovers(snapshots, oneStore(), hosts, Map::of, clock).deleteSettled();

        assertEquals(List.of("snap-1.", "snap-2.", "snap-3."), sent, "sent until 5 minutes were spent");
        assertEquals(3, cleared);
        verify(snapshots, never()).backupAttemptsCleared(eq(4L), any());
        verify(snapshots, never()).backupAttemptsRetryAt(anyLong(), any(), any());
    }

    // The recorded backup files of a snapshot (whatever their state: a deleted snapshot's file a child incremental
    // still needs stays recorded) are named to the agent as kept; only the other attempts' files may go.
    @Test
    void theRecordedFilesAreKept() throws Exception {
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(any(), any(), anyInt())).thenReturn(List.of(snapshot(1)));
        when(snapshots.recordedBackupPaths(1)).thenReturn(List.of("backups/2/3/snap-1.2.rbddiff"));
        List<DeleteBackupLeftoversCommand> sent = new CopyOnWriteArrayList<>();
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class))).thenAnswer(call -> {
            sent.add(call.getArgument(1));
            return GenericAnswer.ok();
        });

        new BackupAttemptLeftovers(snapshots, oneStore(), hosts, Map::of, new StepClock()).deleteSettled();

        assertEquals(1, sent.size());
        assertEquals("snap-1.", sent.get(0).prefix());
        assertEquals(List.of("snap-1.2.rbddiff"), sent.get(0).keep());
    }

    // A database error putting one snapshot back ended the whole run: the snapshots after it were never tried.
    @Test
    void aFailureToPutASnapshotBackDoesNotEndTheRun() throws Exception {
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(any(), any(), anyInt())).thenReturn(List.of(snapshot(1), snapshot(2)));
        doThrow(new IllegalStateException("database gone")).when(snapshots)
                .backupAttemptsRetryAt(eq(1L), any(), any());
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class)))
                .thenAnswer(call -> ((DeleteBackupLeftoversCommand) call.getArgument(1)).prefix().equals("snap-1.")
                        ? GenericAnswer.failure("store out of reach") : GenericAnswer.ok());

        int cleared = new BackupAttemptLeftovers(snapshots, oneStore(), hosts, Map::of, new StepClock()).deleteSettled();

        assertEquals(1, cleared);
        verify(snapshots).backupAttemptsCleared(2, snapshot(2).attempted());
    }

    // A zone of several slow stores: the time limit is checked before each store, not only each snapshot.
    @Test
    void aRunStopsBetweenTheStoresOfOneSnapshotOnceItsTimeIsSpent() throws Exception {
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(any(), any(), anyInt())).thenReturn(List.of(snapshot(1), snapshot(2)));
        ImageStoreRepository stores = mock(ImageStoreRepository.class);
        when(stores.ofZone(1)).thenReturn(LongStream.rangeClosed(1, 5).mapToObj(id -> new ImageStoreRepository.StoreRow(
                id, "store-" + id, "nfs", "nfs", "nfs://server/export" + id, "NFS", 1, "zone-1", "zone", null, null))
                .toList());
        StepClock clock = new StepClock();
        List<String> sent = new CopyOnWriteArrayList<>();
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class))).thenAnswer(call -> {
            sent.add(((DeleteBackupLeftoversCommand) call.getArgument(1)).storeUrl());
            clock.advance(Duration.ofMinutes(2)); // a slow store
            return GenericAnswer.ok();
        });

        int cleared = new BackupAttemptLeftovers(snapshots, stores, hosts, Map::of, clock).deleteSettled();

        assertEquals(List.of("nfs://server/export1", "nfs://server/export2", "nfs://server/export3"), sent,
                "sent until 5 minutes were spent");
        assertEquals(0, cleared, "snapshot 1's other stores are not done: not cleared");
        verify(snapshots, never()).backupAttemptsCleared(anyLong(), any());
        verify(snapshots, never()).backupAttemptsRetryAt(anyLong(), any(), any());
    }

    private static final long WEEK_POOL = 5;
    private static final long DEFAULT_POOL = 6;
    private static final Duration EPSILON = Duration.ofMinutes(1);

    /** A snapshot of {@code pool} (null: its volume is gone) last attempted {@code ago} before NOW. */
    private static SnapshotRepository.AttemptedBackup attempted(long id, Long pool, Duration ago) {
        return new SnapshotRepository.AttemptedBackup(id, "snap-" + id, 2, 3, pool, 1, NOW.minus(ago));
    }

    /**
     * A repository holding {@code rows} that answers settledBackupAttempts as its SQL does (each snapshot against its
     * pool's cutoff, or the other one) and forgets a snapshot once it is cleared.
     */
    private static SnapshotRepository holding(List<SnapshotRepository.AttemptedBackup> rows) {
        List<SnapshotRepository.AttemptedBackup> held = new CopyOnWriteArrayList<>(rows);
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(any(), any(), anyInt())).thenAnswer(call -> {
            Map<Long, Instant> byPool = call.getArgument(0);
            Instant otherwise = call.getArgument(1);
            return held.stream().filter(row -> row.attempted().isBefore(row.poolId() == null ? otherwise
                    : byPool.getOrDefault(row.poolId(), otherwise))).toList();
        });
        org.mockito.Mockito.doAnswer(call -> held.removeIf(row -> row.snapshotId() == (long) call.getArgument(0)))
                .when(snapshots).backupAttemptsCleared(anyLong(), any());
        return snapshots;
    }

    private static HostGateway answeringOk(List<String> sent) throws Exception {
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class))).thenAnswer(call -> {
            sent.add(((DeleteBackupLeftoversCommand) call.getArgument(1)).prefix());
            return GenericAnswer.ok();
        });
        return hosts;
    }

    // rbd.transfer.timeout.seconds may be a week: the server then waits a week for a backup, and its attempt may
    // still be writing at 12 h; its .part was deleted under it, or its file completed after the cleanup had passed.
    @Test
    void aSnapshotOfAPoolWithAWeekLongTransferWaitsTheWeekAndAnHourWhileADefaultPoolsWaits12Hours() throws Exception {
        Duration twelveHours = BackupAttemptLeftovers.SETTLE_AFTER;
        SnapshotRepository snapshots = holding(List.of(attempted(1, WEEK_POOL, twelveHours.plus(EPSILON)),
                attempted(2, DEFAULT_POOL, twelveHours.plus(EPSILON))));
        List<String> sent = new ArrayList<>();
        StepClock clock = new StepClock();
        BackupAttemptLeftovers leftovers = new BackupAttemptLeftovers(snapshots, oneStore(), answeringOk(sent),
                () -> Map.of(WEEK_POOL, Duration.ofDays(7), DEFAULT_POOL, Duration.ofHours(6)), clock);

        assertEquals(1, leftovers.deleteSettled());
        assertEquals(List.of("snap-2."), sent, "12 h + 1 min: the default pool's snapshot only");

        clock.advance(Duration.ofDays(7).plus(Duration.ofHours(1)).minus(twelveHours).minus(EPSILON.multipliedBy(2)));
        assertEquals(0, leftovers.deleteSettled(), "a week and an hour less a minute: still kept");
        clock.advance(EPSILON.multipliedBy(2));
        assertEquals(1, leftovers.deleteSettled());
        assertEquals(List.of("snap-2.", "snap-1."), sent, "a week and an hour and a minute: cleared");
    }

    // The volume deleted (or its pool): which pool its attempts ran on is unknown, so it waits as long as any.
    @Test
    void aSnapshotWhoseVolumeOrPoolIsGoneWaitsTheLongestOfAllPools() throws Exception {
        Duration justPastTwelveHours = BackupAttemptLeftovers.SETTLE_AFTER.plus(EPSILON);
        SnapshotRepository snapshots = holding(List.of(attempted(1, null, justPastTwelveHours),
                attempted(2, 99L, justPastTwelveHours)));
        List<String> sent = new ArrayList<>();
        StepClock clock = new StepClock();
        BackupAttemptLeftovers leftovers = new BackupAttemptLeftovers(snapshots, oneStore(), answeringOk(sent),
                () -> Map.of(WEEK_POOL, Duration.ofDays(7), DEFAULT_POOL, Duration.ofHours(6)), clock);

        assertEquals(0, leftovers.deleteSettled());
        clock.advance(Duration.ofDays(7).plus(Duration.ofHours(1)).minus(BackupAttemptLeftovers.SETTLE_AFTER));
        assertEquals(2, leftovers.deleteSettled());
        assertEquals(List.of("snap-1.", "snap-2."), sent);
    }

    // The timeout is a setting an admin may change at any time: each run asks the providers again.
    @Test
    void aChangedTransferTimeoutCountsFromTheNextRun() throws Exception {
        SnapshotRepository snapshots = holding(List.of(attempted(1, WEEK_POOL, Duration.ofDays(1))));
        List<String> sent = new ArrayList<>();
        Map<Long, Duration> timeouts = new HashMap<>(Map.of(WEEK_POOL, Duration.ofDays(7)));
        BackupAttemptLeftovers leftovers = new BackupAttemptLeftovers(snapshots, oneStore(), answeringOk(sent),
                () -> Map.copyOf(timeouts), new StepClock());

        assertEquals(0, leftovers.deleteSettled(), "a day: kept while a transfer may run a week");
        timeouts.put(WEEK_POOL, Duration.ofHours(6));
        assertEquals(1, leftovers.deleteSettled(), "the timeout back to 6 h: 12 h apply again");
        assertEquals(List.of("snap-1."), sent);
    }

    // A failed deletion is tried again an hour later by the snapshot's own settle time, not by the 12 h.
    @Test
    void aFailedSnapshotOfALongTransferPoolIsTriedAgainAnHourAfterItsOwnSettleTime() throws Exception {
        SnapshotRepository.AttemptedBackup week = attempted(1, WEEK_POOL, Duration.ofDays(8));
        SnapshotRepository snapshots = holding(List.of(week));
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class)))
                .thenReturn(GenericAnswer.failure("store out of reach"));

        new BackupAttemptLeftovers(snapshots, oneStore(), hosts, () -> Map.of(WEEK_POOL, Duration.ofDays(7)),
                new StepClock()).deleteSettled();

        verify(snapshots).backupAttemptsRetryAt(1, week.attempted(),
                NOW.minus(Duration.ofDays(7)).minus(BackupSettleTimes.MARGIN).plus(Duration.ofHours(1)));
    }
}
