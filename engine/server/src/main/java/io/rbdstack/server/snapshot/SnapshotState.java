package io.rbdstack.server.snapshot;

import java.util.EnumSet;
import java.util.Set;

/**
 * A volume snapshot's life (CloudStack's state names, the {@code snapshots.status} column), and the
 * only place that says which state may follow which. An edge not listed here is a bug in the
 * caller: {@link #checkMoveTo} throws.
 */
public enum SnapshotState {
    /** The row exists; the storage has nothing yet. */
    Allocated,
    /** The storage is taking it. */
    Creating,
    /** Taken on primary storage only. */
    CreatedOnPrimary,
    /** Being copied to secondary storage. */
    BackingUp,
    /** Backed up on secondary storage (and possibly still on primary). */
    BackedUp,
    /** Being deleted from where it is stored. */
    Destroying,
    /** Deleted everywhere. */
    Destroyed,
    /** Taking it failed; whatever the storage had made of it was deleted again. */
    Error;

    public Set<SnapshotState> next() {
        return switch (this) {
            // Error from Allocated: its job died with its management server before the storage was asked.
            case Allocated -> EnumSet.of(Creating, Error);
            case Creating -> EnumSet.of(CreatedOnPrimary, Error);
            // Destroyed straight from CreatedOnPrimary: its volume was deleted, and the snapshot with it.
            case CreatedOnPrimary -> EnumSet.of(BackingUp, Destroying, Destroyed);
            // A failed backup leaves it where it was: on primary.
            case BackingUp -> EnumSet.of(BackedUp, CreatedOnPrimary);
            case BackedUp -> EnumSet.of(BackingUp, Destroying);
            // A failed delete leaves it where it was.
            case Destroying -> EnumSet.of(Destroyed, CreatedOnPrimary, BackedUp);
            case Destroyed, Error -> EnumSet.noneOf(SnapshotState.class);
        };
    }

    public boolean canMoveTo(SnapshotState to) {
        return next().contains(to);
    }

    public void checkMoveTo(SnapshotState to) {
        if (!canMoveTo(to)) {
            throw new IllegalStateException("Illegal snapshot state transition " + this + " -> " + to
                    + "; allowed from " + this + ": " + next());
        }
    }

    /** Whether the API no longer shows a snapshot in this state (its row is marked removed). */
    public boolean removesRow() {
        return this == Destroyed || this == Error;
    }

    /** Whether the snapshot is whole somewhere and can be used, reverted to (if on primary) or deleted. */
    public boolean isUsable() {
        return this == CreatedOnPrimary || this == BackedUp;
    }
}
