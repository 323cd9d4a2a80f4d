package io.rbdstack.server.vm;

import java.util.EnumSet;
import java.util.Set;

/**
 * A VM snapshot's life (CloudStack's VMSnapshot.State names, as {@code vm_snapshots.state} and
 * listVMSnapshot's {@code state} hold them), and the only place that says which state may follow which.
 */
public enum VmSnapshotState {
    /** Recorded by createVMSnapshot; its job has not begun. */
    Allocated,
    /** The storage is taking the group snapshot. */
    Creating,
    /** Taken: it can be reverted to or deleted. */
    Ready,
    /** The VM's volumes are being rolled back to it. */
    Reverting,
    /** Being deleted from the storage; the row is removed after. A failed delete stays here and may be retried. */
    Expunging,
    /** Taking it failed; only a delete moves it on. */
    Error;

    /** The states that may follow this one. */
    public Set<VmSnapshotState> next() {
        return switch (this) {
            // Expunging: deleted (or its VM destroyed) before its job began; Error: the job's checks refused
            case Allocated -> EnumSet.of(Creating, Expunging, Error);
            case Creating -> EnumSet.of(Ready, Error);
            // a revert that failed leaves the snapshot as it was: Ready
            case Ready -> EnumSet.of(Reverting, Expunging);
            case Reverting -> EnumSet.of(Ready);
            case Expunging -> EnumSet.of(Expunging);
            case Error -> EnumSet.of(Expunging);
        };
    }

    public boolean canMoveTo(VmSnapshotState to) {
        return next().contains(to);
    }

    /** Throws when {@code to} may not follow this state: the caller has a bug. */
    public void checkMoveTo(VmSnapshotState to) {
        if (!canMoveTo(to)) {
            throw new IllegalStateException("Illegal VM snapshot state transition " + this + " -> " + to
                    + "; allowed from " + this + ": " + next());
        }
    }

    /** Whether a job is working on it: no other VM snapshot work on its VM may start meanwhile (CloudStack's rule). */
    public boolean busy() {
        return this == Allocated || this == Creating || this == Reverting || this == Expunging;
    }

    /** Whether deleteVMSnapshot accepts it: taken, failed, a delete that failed before, or one whose job never ran. */
    public boolean deletable() {
        return this == Ready || this == Error || this == Expunging || this == Allocated;
    }
}
