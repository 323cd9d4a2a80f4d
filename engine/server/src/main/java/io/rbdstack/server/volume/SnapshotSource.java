package io.rbdstack.server.volume;

import io.rbdstack.server.api.Caller;

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
     * The snapshot if the caller may use it and it is whole somewhere.
     *
     * @throws io.rbdstack.server.api.ApiException 431 naming the parameter when there is no such
     *         snapshot or it cannot be used now, 531 when it is another account's
     */
    Snapshot usable(Caller caller, String snapshotUuid);
}
