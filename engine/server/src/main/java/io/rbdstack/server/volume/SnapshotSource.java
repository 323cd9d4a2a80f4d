package io.rbdstack.server.volume;

import io.rbdstack.server.api.Caller;

/**
 * Where createVolume finds the snapshot a volume is made from; implemented by the snapshot
 * package, so volumes do not depend on snapshots.
 */
@FunctionalInterface
public interface SnapshotSource {

    /** A snapshot on primary storage that a new volume can be made from. */
    record Snapshot(String uuid, String name, long zoneId, long poolId, String volumePath, long sizeBytes,
                    Long offeringId) {
    }

    /**
     * The snapshot if the caller may use it and it is on primary storage.
     *
     * @throws io.rbdstack.server.api.ApiException 431 naming the parameter when there is no such
     *         snapshot or it cannot be used now, 531 when it is another account's
     */
    Snapshot usable(Caller caller, String snapshotUuid);
}
