package io.rbdstack.server.volume;

import java.util.EnumSet;
import java.util.Set;

/**
 * A volume's life, and the only place that says which state may follow which. The names are what
 * the {@code volumes.state} column and listVolumes' {@code state} hold. Moving along an edge that is
 * not here is a bug in the caller, never a user error, so {@link #checkMoveTo} throws an
 * {@link IllegalStateException}; a user asking for something the current state does not allow is
 * answered before any move is tried.
 */
public enum VolumeState {
    /** The row exists and holds its pool's capacity; the storage has nothing yet. */
    Allocated,
    /** The job asked the storage to create it. */
    Creating,
    /** Created on the storage and usable. */
    Ready,
    /** The storage is growing it; its size is already the target, so the growth holds pool capacity. */
    Resizing,
    /** A snapshot of it is being taken (CloudStack's name); nothing else may start meanwhile. */
    Snapshotting,
    /** It is being rolled back to one of its snapshots. */
    RevertSnapshotting,
    /** The storage is deleting it. */
    Destroying,
    /** Deleted, but the storage keeps its data until a deferral passes (RBD: in the pool's trash). */
    Destroyed,
    /**
     * Deleted with its expunged VM while the storage still refused to delete it because a client had it
     * open (a killed qemu's Ceph watch lasts until Ceph times it out); the storage cleanup deletes it then.
     */
    Expunging,
    /** Deleted and its data gone from the storage. */
    Expunged,
    /** The storage could not create it; whatever it had made was deleted again. */
    Error;

    /** The states that may follow this one. */
    public Set<VolumeState> next() {
        return switch (this) {
            // Error: its operation died with its management server before the storage was asked.
            case Allocated -> EnumSet.of(Creating, Error);
            case Creating -> EnumSet.of(Ready, Error);
            case Ready -> EnumSet.of(Resizing, Destroying, Snapshotting, RevertSnapshotting);
            case Snapshotting, RevertSnapshotting -> EnumSet.of(Ready);
            // A failed resize leaves the image as it was: Ready again.
            case Resizing -> EnumSet.of(Ready);
            // A failed delete leaves the image in place: Ready again, so the user can retry.
            // Expunging: a VM's expunge goes on while a client still has the volume open.
            case Destroying -> EnumSet.of(Destroyed, Expunged, Ready, Expunging);
            // When the storage cleanup could delete it at last (into the trash, or at once).
            case Expunging -> EnumSet.of(Destroyed, Expunged);
            // When the storage has purged a deferred delete.
            case Destroyed -> EnumSet.of(Expunged);
            case Expunged, Error -> EnumSet.noneOf(VolumeState.class);
        };
    }

    public boolean canMoveTo(VolumeState to) {
        return next().contains(to);
    }

    /** Throws when {@code to} may not follow this state: the caller has a bug. */
    public void checkMoveTo(VolumeState to) {
        if (!canMoveTo(to)) {
            throw new IllegalStateException("Illegal volume state transition " + this + " -> " + to
                    + "; allowed from " + this + ": " + next());
        }
    }

    /**
     * Whether a volume in this state is gone for the API: its row is marked removed, so it is not
     * listed, holds no pool capacity and does not keep its pool from being deleted.
     */
    public boolean removesRow() {
        return this == Destroyed || this == Expunging || this == Expunged || this == Error;
    }
}
