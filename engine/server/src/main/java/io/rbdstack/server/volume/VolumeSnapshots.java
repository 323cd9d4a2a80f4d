package io.rbdstack.server.volume;

/** What volume operations need to know of a volume's snapshots; implemented by the snapshot package. */
public interface VolumeSnapshots {

    /** Whether a snapshot of the volume is being taken or backed up, so its image must stay. */
    boolean busy(long volumeId);

    /** The volume's image was deleted, and its snapshots on primary with it; its snapshot policies end. */
    void imageDeleted(long volumeId);
}
