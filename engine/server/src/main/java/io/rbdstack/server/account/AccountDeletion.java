package io.rbdstack.server.account;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.auth.SessionStore;
import io.rbdstack.server.snapshot.SnapshotRepository;
import io.rbdstack.server.snapshot.SnapshotService;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeService;
import io.rbdstack.server.volume.VolumeState;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes an account with everything it owns, through the same paths a user's own deletes take: its
 * snapshots (and their backups) through the snapshot service, its volumes through the volume service,
 * then the account and its users. The account is disabled first, so its users can make nothing new
 * meanwhile; a delete that fails leaves it disabled with what remains, and can be run again.
 */
public final class AccountDeletion {

    private static final Logger LOG = LoggerFactory.getLogger(AccountDeletion.class);

    private final AccountRepository accounts;
    private final SessionStore sessions;
    private final VolumeRepository volumes;
    private final VolumeService volumeService;
    /** Expunges every VM of an account (their root volumes go with them). */
    private final java.util.function.LongConsumer vmExpunger;
    private final SnapshotRepository snapshots;
    private final SnapshotService snapshotService;

    public AccountDeletion(AccountRepository accounts, SessionStore sessions, VolumeRepository volumes,
                           VolumeService volumeService, SnapshotRepository snapshots, SnapshotService snapshotService,
                           java.util.function.LongConsumer vmExpunger) {
        this.vmExpunger = vmExpunger;
        this.accounts = accounts;
        this.sessions = sessions;
        this.volumes = volumes;
        this.volumeService = volumeService;
        this.snapshots = snapshots;
        this.snapshotService = snapshotService;
    }

    /**
     * The request part: refuses (536) an account with a volume or snapshot in the middle of an operation,
     * then disables it and ends its users' sessions.
     */
    public void begin(AccountRepository.AccountRow account) {
        refuseIfBusy(account);
        accounts.state(account.id(), AccountRepository.DISABLED);
        sessions.endSessionsOfAccount(account.id());
    }

    /** 536 when a volume or snapshot of the account is in the middle of an operation. */
    public void refuseIfBusy(AccountRepository.AccountRow account) {
        List<String> busy = new ArrayList<>();
        for (VolumeRepository.VolumeRow volume : volumesOf(account)) {
            if (volume.state() != VolumeState.Ready) {
                busy.add("volume " + volume.name() + " is " + volume.state());
            }
        }
        for (SnapshotRepository.SnapshotRow snapshot : snapshotsOf(account)) {
            if (!snapshot.state().isUsable()) {
                busy.add("snapshot " + snapshot.name() + " is " + snapshot.state());
            }
        }
        if (!busy.isEmpty()) {
            throw ApiException.inUse("Cannot delete account " + account.name() + " now: " + String.join(", ", busy)
                    + "; try again when its operations are done");
        }
    }

    /** The job: VMs, volumes cloned from snapshots, snapshots, the other volumes, then the account itself. */
    public void delete(AccountRepository.AccountRow account) {
        try {
            vmExpunger.accept(account.id());
            // Clones of snapshots first, newest first (a clone of a clone is newer): they pin their snapshots.
            List<VolumeRepository.VolumeRow> clones = new ArrayList<>(volumesOf(account).stream()
                    .filter(v -> volumeService.clones().isCloneOfSnapshot(v.id())).toList());
            java.util.Collections.reverse(clones);
            for (VolumeRepository.VolumeRow clone : clones) {
                volumeService.delete(clone);
            }
            for (SnapshotRepository.SnapshotRow snapshot : snapshotsOf(account)) {
                snapshotService.beginDelete(snapshot);
                snapshotService.delete(snapshot);
            }
            for (VolumeRepository.VolumeRow volume : volumesOf(account)) {
                volumeService.delete(volume);
            }
        } catch (ApiException e) {
            throw new ApiException(e.errorCode(), e.csErrorCode(), "Account " + account.name() + " was not deleted: "
                    + e.getMessage() + "; it stays disabled with what is left, delete it again to finish", e);
        }
        accounts.remove(account.id());
        sessions.endSessionsOfAccount(account.id());
        LOG.info("Deleted account {} ({}) with its volumes and snapshots", account.name(), account.uuid());
    }

    private List<VolumeRepository.VolumeRow> volumesOf(AccountRepository.AccountRow account) {
        return volumes.list(VolumeRepository.Filter.ofAccount(account.id()), "");
    }

    private List<SnapshotRepository.SnapshotRow> snapshotsOf(AccountRepository.AccountRow account) {
        return snapshots.list(SnapshotRepository.Filter.ofAccount(account.id()), "");
    }
}
