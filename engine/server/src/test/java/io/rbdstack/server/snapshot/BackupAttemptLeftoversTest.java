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
import java.util.List;
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
        return new SnapshotRepository.AttemptedBackup(id, "snap-" + id, 2, 3, 1, NOW.minus(Duration.ofDays(1))
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
        when(snapshots.settledBackupAttempts(NOW.minus(BackupAttemptLeftovers.SETTLE_AFTER),
                BackupAttemptLeftovers.PER_RUN)).thenReturn(List.of(snapshot(1), snapshot(2)));
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(eq(PoolScope.zone("zone-1")), any(AgentCommand.class), any(Duration.class)))
                .thenAnswer(call -> ((DeleteBackupLeftoversCommand) call.getArgument(1)).prefix().equals("snap-1.")
                        ? GenericAnswer.failure("store out of reach") : GenericAnswer.ok());

        int cleared = new BackupAttemptLeftovers(snapshots, oneStore(), hosts, new StepClock()).deleteSettled();

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
        when(snapshots.settledBackupAttempts(any(), anyInt()))
                .thenReturn(LongStream.rangeClosed(1, 10).mapToObj(BackupAttemptLeftoversTest::snapshot).toList());
        StepClock clock = new StepClock();
        List<String> sent = new CopyOnWriteArrayList<>();
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class))).thenAnswer(call -> {
            sent.add(((DeleteBackupLeftoversCommand) call.getArgument(1)).prefix());
            clock.advance(Duration.ofMinutes(2)); // a slow store
            return GenericAnswer.ok();
        });

        int cleared = new BackupAttemptLeftovers(snapshots, oneStore(), hosts, clock).deleteSettled();

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
        when(snapshots.settledBackupAttempts(any(), anyInt())).thenReturn(List.of(snapshot(1)));
        when(snapshots.recordedBackupPaths(1)).thenReturn(List.of("backups/2/3/snap-1.2.rbddiff"));
        List<DeleteBackupLeftoversCommand> sent = new CopyOnWriteArrayList<>();
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class))).thenAnswer(call -> {
            sent.add(call.getArgument(1));
            return GenericAnswer.ok();
        });

        new BackupAttemptLeftovers(snapshots, oneStore(), hosts, new StepClock()).deleteSettled();

        assertEquals(1, sent.size());
        assertEquals("snap-1.", sent.get(0).prefix());
        assertEquals(List.of("snap-1.2.rbddiff"), sent.get(0).keep());
    }

    // A database error putting one snapshot back ended the whole run: the snapshots after it were never tried.
    @Test
    void aFailureToPutASnapshotBackDoesNotEndTheRun() throws Exception {
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(any(), anyInt())).thenReturn(List.of(snapshot(1), snapshot(2)));
        doThrow(new IllegalStateException("database gone")).when(snapshots)
                .backupAttemptsRetryAt(eq(1L), any(), any());
        HostGateway hosts = mock(HostGateway.class);
        when(hosts.sendToAnyHost(any(), any(AgentCommand.class), any(Duration.class)))
                .thenAnswer(call -> ((DeleteBackupLeftoversCommand) call.getArgument(1)).prefix().equals("snap-1.")
                        ? GenericAnswer.failure("store out of reach") : GenericAnswer.ok());

        int cleared = new BackupAttemptLeftovers(snapshots, oneStore(), hosts, new StepClock()).deleteSettled();

        assertEquals(1, cleared);
        verify(snapshots).backupAttemptsCleared(2, snapshot(2).attempted());
    }

    // A zone of several slow stores: the time limit is checked before each store, not only each snapshot.
    @Test
    void aRunStopsBetweenTheStoresOfOneSnapshotOnceItsTimeIsSpent() throws Exception {
        SnapshotRepository snapshots = mock(SnapshotRepository.class);
        when(snapshots.settledBackupAttempts(any(), anyInt())).thenReturn(List.of(snapshot(1), snapshot(2)));
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

        int cleared = new BackupAttemptLeftovers(snapshots, stores, hosts, clock).deleteSettled();

        assertEquals(List.of("nfs://server/export1", "nfs://server/export2", "nfs://server/export3"), sent,
                "sent until 5 minutes were spent");
        assertEquals(0, cleared, "snapshot 1's other stores are not done: not cleared");
        verify(snapshots, never()).backupAttemptsCleared(anyLong(), any());
        verify(snapshots, never()).backupAttemptsRetryAt(anyLong(), any(), any());
    }
}
