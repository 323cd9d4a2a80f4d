package io.rbdstack.server.volume;

/**
 * Where createVolume finds the snapshot a volume is made from; implemented by the snapshot
 * package, so volumes do not depend on snapshots.
 */
@FunctionalInterface
public interface SnapshotSource {

    /**
     * A snapshot a new volume can be made from: on primary storage ({@code poolId} set: cloned
     * there), or only on secondary ({@code backupChain} set: restored from a full backup and the
     * incremental ones after it, onto a pool of the zone).
     */
    record Snapshot(String uuid, String name, long zoneId, String zoneName, Long poolId, String volumePath, long sizeBytes,
                    Long offeringId, String offeringUuid, java.util.List<io.rbdstack.spi.storage.BackupFileRef> backupChain) {

        public boolean onPrimary() {
            return poolId != null;
        }
    }

    /**
     * The snapshot if it is whole somewhere; the caller's right to it is checked when the id is bound.
     *
     * @throws io.rbdstack.server.api.ApiException 431 naming the parameter when there is no such
     *         snapshot or it cannot be used now
     */
    Snapshot usable(String snapshotUuid);
}
