package io.rbdstack.spi.storage;

import java.util.List;

/**
 * A snapshot of several volumes taken at one instant (a VM snapshot; for RBD one group snapshot): its group,
 * its name and each volume with its size then.
 */
public record GroupSnapshotInfo(String group, String name, List<VolumeSnapshot> volumes) {

    /** One volume of the group snapshot (its path on the pool) and the volume's size when it was taken. */
    public record VolumeSnapshot(String volumePath, long sizeBytes) {
    }

    public GroupSnapshotInfo {
        volumes = List.copyOf(volumes);
    }
}
