package io.rbdstack.spi.storage;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One primary-storage driver, one method per storage operation (Cinder's driver contract). The
 * engine owns the database and the API; the provider decides what must happen on which host and
 * sends agent commands through {@link HostGateway}.
 */
public interface StorageProvider {

    /** Parses and validates a pool from createStoragePool's {@code url} and {@code details[]}; no I/O. */
    PoolDefinition parsePool(String url, Map<String, String> details) throws StorageException;

    /** Proves a host in scope can use the pool (reach it, find it, write to it) before it is saved. */
    void testPool(PoolScope scope, PoolDefinition definition) throws StorageException;

    /** Makes the pool usable on one host (for RBD: a libvirt secret and pool). Idempotent. */
    void attachPool(String hostUuid, StoredPool pool) throws StorageException;

    /** Removes the pool from one host; a pool that isn't there is fine. */
    void detachPool(String hostUuid, StoredPool pool) throws StorageException;

    /** The pool's real capacity from the storage (for RBD: pool statistics and quota). */
    PoolCapacity capacity(StoredPool pool) throws StorageException;

    /**
     * Creates a volume named after {@code volumeUuid} (for RBD: the image name), so the engine can
     * find and delete it even when the creation's answer is lost.
     */
    VolumeInfo createVolume(StoredPool pool, String volumeUuid, long sizeBytes) throws StorageException;

    /** Grows a volume; shrinking is an {@link StorageException.Kind#INVALID}. */
    VolumeInfo resizeVolume(StoredPool pool, String path, long newSizeBytes) throws StorageException;

    /**
     * Deletes a volume and its snapshots. With {@code deferSeconds} &gt; 0 the storage may keep the
     * data that long before purging it (where supported); a provider may keep it longer if its own
     * options say so.
     *
     * @return the seconds the storage keeps the data before it may purge it; 0 when it is gone now
     */
    long deleteVolume(StoredPool pool, String path, long deferSeconds) throws StorageException;

    /** The volume as the storage has it now; empty when it has no such volume (or only a deleted one). */
    Optional<VolumeInfo> describeVolume(StoredPool pool, String path) throws StorageException;

    /**
     * Removes the data of a volume {@link #deleteVolume deleted} with a deferral, once the deferral
     * has passed. Idempotent: a volume whose data is already gone counts as purged.
     *
     * @return true when the data is gone; false while the storage must still keep it
     */
    boolean purgeDeletedVolume(StoredPool pool, String path) throws StorageException;

    /**
     * Takes a snapshot of a volume, named {@code snapshotUuid} so that the engine can find (and
     * delete) it even when the answer is lost. Idempotent.
     */
    SnapshotInfo createSnapshot(StoredPool pool, String volumePath, String snapshotUuid) throws StorageException;

    /** Deletes a snapshot of a volume; an absent one is fine. */
    void deleteSnapshot(StoredPool pool, String volumePath, String snapshotName) throws StorageException;

    /** Puts the volume's content (and size) back to the snapshot's; returns the volume as it is then. */
    VolumeInfo revertSnapshot(StoredPool pool, String volumePath, String snapshotName) throws StorageException;

    /**
     * Creates a new volume named after {@code newVolumeUuid} with the snapshot's content, in the
     * same pool and independent of the snapshot (which may be deleted afterwards), reporting the bytes
     * copied so far to {@code progress}.
     */
    VolumeInfo createVolumeFromSnapshot(StoredPool pool, String volumePath, String snapshotName, String newVolumeUuid,
                                        TransferProgress progress) throws StorageException;

    /**
     * Creates a volume named after {@code newVolumeUuid} as a copy-on-write clone of the snapshot, in the same
     * pool: no data is copied, and the volume depends on the snapshot (which cannot be deleted meanwhile) until
     * {@link #flattenVolume flattened}.
     */
    default VolumeInfo cloneSnapshot(StoredPool pool, String volumePath, String snapshotName, String newVolumeUuid)
            throws StorageException {
        throw unsupported("clone snapshots");
    }

    /**
     * The longest the engine may wait for one data transfer of the pool (a backup, a restore, a flatten), as the
     * provider's options stand now: what a backup attempt writes is kept at least this long after its last
     * attempt before it counts as a leftover. Zero for a provider that moves no data between hosts.
     * <p>
     * The engine asks this for every pool at each storage cleanup run and hands {@code pool} over without its
     * secret ({@code pool.definition().secret()} is null): an answer may rest on the pool's identity, scope and
     * definition and on the provider's options, never on access to the storage.
     */
    default Duration longestTransfer(StoredPool pool) {
        return Duration.ZERO;
    }

    /**
     * Copies a snapshot to secondary storage: all of it when {@code fromSnapshotName} is null, else
     * only what changed since that earlier snapshot of the same volume (still on primary), reporting the
     * bytes copied so far to {@code progress}.
     */
    BackupInfo backupSnapshot(StoredPool pool, String volumePath, String snapshotName, String fromSnapshotName,
                              BackupTarget target, TransferProgress progress) throws StorageException;

    /**
     * Creates a new volume named after {@code newVolumeUuid} from a chain of backups (a full one,
     * then incremental ones in order), checking each file's checksum; nothing is left on failure. The
     * bytes read so far go to {@code progress}.
     */
    VolumeInfo restoreVolume(StoredPool pool, String newVolumeUuid, long sizeBytes, java.util.List<BackupFileRef> chain,
                             TransferProgress progress) throws StorageException;

    /**
     * Imports a template into the pool once, named after {@code templateUuid}, as a base volume with a
     * protected snapshot that new volumes are cloned from: fetched from the source, its checksum
     * verified before anything is written, converted to raw if it is not. Nothing is left in the pool
     * on failure. The bytes fetched so far go to {@code progress}.
     */
    default TemplateInfo importTemplate(StoredPool pool, String templateUuid, TemplateSource source,
                                        TransferProgress progress) throws StorageException {
        throw unsupported("import templates");
    }

    /** Deletes a template's base volume and its snapshot; refused while volumes are still cloned from it. */
    default void deleteTemplate(StoredPool pool, String templatePath) throws StorageException {
        throw unsupported("delete templates");
    }

    /**
     * {@link #deleteTemplate(StoredPool, String)}; with {@code forced} the storage also deals with what only it
     * knows still depends on the template (for RBD: clones of deleted volumes in the trash), instead of refusing
     * with {@link StorageException.Kind#IN_USE}.
     */
    default void deleteTemplate(StoredPool pool, String templatePath, boolean forced) throws StorageException {
        deleteTemplate(pool, templatePath);
    }

    /**
     * Creates a volume named after {@code volumeUuid} as a copy-on-write clone of the template's base
     * snapshot (no data copied), grown to {@code sizeBytes} when that is larger than the template.
     */
    default VolumeInfo createVolumeFromTemplate(StoredPool pool, TemplateInfo template, String volumeUuid,
                                                long sizeBytes) throws StorageException {
        throw unsupported("create volumes from templates");
    }

    /**
     * Copies into a cloned volume what it shares with its parent (a template's base, or a snapshot it was cloned
     * from), so it no longer depends on it; a volume that depends on nothing is left as it is.
     */
    default VolumeInfo flattenVolume(StoredPool pool, String path, TransferProgress progress) throws StorageException {
        throw unsupported("flatten volumes");
    }

    /**
     * Snapshots the volumes together, at one instant, as {@code snapshotName} of group {@code groupName} (a VM
     * snapshot; the storage's group is created if missing and made to hold exactly these volumes). Idempotent:
     * a complete snapshot of that name counts as taken. A volume in another group is {@link StorageException.Kind#INVALID}.
     */
    default GroupSnapshotInfo createGroupSnapshot(StoredPool pool, String groupName, java.util.List<String> volumePaths,
                                                  String snapshotName) throws StorageException {
        throw unsupported("take group snapshots");
    }

    /** The names of the group's complete snapshots, oldest first; none when there is no such group. */
    default java.util.List<String> listGroupSnapshots(StoredPool pool, String groupName) throws StorageException {
        throw unsupported("list group snapshots");
    }

    /**
     * Puts every volume of the group back to its content (and size) in the group snapshot. Refused with
     * {@link StorageException.Kind#IN_USE} while a client (a running VM) writes to one of them.
     */
    default void revertGroupSnapshot(StoredPool pool, String groupName, String snapshotName) throws StorageException {
        throw unsupported("revert group snapshots");
    }

    /** Deletes a group snapshot (each volume's part of it); an absent one is fine. */
    default void deleteGroupSnapshot(StoredPool pool, String groupName, String snapshotName) throws StorageException {
        throw unsupported("delete group snapshots");
    }

    /** Deletes the group with its snapshots; its volumes leave it and are kept. An absent group is fine. */
    default void deleteGroup(StoredPool pool, String groupName) throws StorageException {
        throw unsupported("delete groups");
    }

    private static StorageException unsupported(String what) {
        return new StorageException(StorageException.Kind.INVALID, "This storage cannot " + what);
    }
}
