package io.rbdstack.server.volume;

import io.rbdstack.spi.storage.BackupFileRef;
import io.rbdstack.spi.storage.BackupInfo;
import io.rbdstack.spi.storage.BackupTarget;
import io.rbdstack.spi.storage.PoolCapacity;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.SnapshotInfo;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StoredPool;
import io.rbdstack.spi.storage.TransferProgress;
import io.rbdstack.spi.storage.VolumeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A storage for unit tests of the volume logic: records calls, answers and fails where told. */
public final class ScriptedStorage implements StorageProvider {
    public final List<String> calls = new ArrayList<>();
    public StorageException failCreate;
    public StorageException failResize;
    public StorageException failDelete;
    public long keepSeconds;
    /** What describeVolume reports, by path; absent paths are not on the storage. */
    public final Map<String, VolumeInfo> onStorage = new HashMap<>();
    public StorageException failDescribe;
    /** Paths whose purge answers "still kept"; the rest purge. */
    public final Set<String> keptByStorage = new HashSet<>();
    public StorageException failPurge;
    /** Fails taking, deleting and reverting snapshots. */
    public StorageException failSnapshot;
    public StorageException failBackup;

    @Override
    public VolumeInfo createVolume(StoredPool pool, String volumeUuid, long sizeBytes) throws StorageException {
        calls.add("create " + volumeUuid + " " + sizeBytes);
        if (failCreate != null) {
            throw failCreate;
        }
        return new VolumeInfo(volumeUuid, sizeBytes);
    }

    @Override
    public VolumeInfo resizeVolume(StoredPool pool, String path, long newSizeBytes) throws StorageException {
        calls.add("resize " + path + " " + newSizeBytes);
        if (failResize != null) {
            throw failResize;
        }
        return new VolumeInfo(path, newSizeBytes);
    }

    @Override
    public long deleteVolume(StoredPool pool, String path, long deferSeconds) throws StorageException {
        calls.add("delete " + path + " " + deferSeconds);
        if (failDelete != null) {
            throw failDelete;
        }
        return Math.max(deferSeconds, keepSeconds);
    }

    @Override
    public Optional<VolumeInfo> describeVolume(StoredPool pool, String path) throws StorageException {
        calls.add("describe " + path);
        if (failDescribe != null) {
            throw failDescribe;
        }
        return Optional.ofNullable(onStorage.get(path));
    }

    @Override
    public boolean purgeDeletedVolume(StoredPool pool, String path) throws StorageException {
        calls.add("purge " + path);
        if (failPurge != null) {
            throw failPurge;
        }
        return !keptByStorage.contains(path);
    }

    @Override
    public SnapshotInfo createSnapshot(StoredPool pool, String volumePath, String snapshotUuid)
            throws StorageException {
        calls.add("snapshot " + volumePath + "@" + snapshotUuid);
        if (failSnapshot != null) {
            throw failSnapshot;
        }
        VolumeInfo volume = onStorage.get(volumePath);
        return new SnapshotInfo(snapshotUuid, volume == null ? 0 : volume.sizeBytes());
    }

    @Override
    public void deleteSnapshot(StoredPool pool, String volumePath, String snapshotName) throws StorageException {
        calls.add("delete snapshot " + volumePath + "@" + snapshotName);
        if (failSnapshot != null) {
            throw failSnapshot;
        }
    }

    @Override
    public VolumeInfo revertSnapshot(StoredPool pool, String volumePath, String snapshotName) throws StorageException {
        calls.add("revert " + volumePath + "@" + snapshotName);
        if (failSnapshot != null) {
            throw failSnapshot;
        }
        return onStorage.getOrDefault(volumePath, new VolumeInfo(volumePath, 0));
    }

    @Override
    public VolumeInfo createVolumeFromSnapshot(StoredPool pool, String volumePath, String snapshotName,
                                               String newVolumeUuid, TransferProgress progress)
            throws StorageException {
        calls.add("clone " + volumePath + "@" + snapshotName + " " + newVolumeUuid);
        if (failCreate != null) {
            throw failCreate;
        }
        return new VolumeInfo(newVolumeUuid, onStorage.getOrDefault(volumePath, new VolumeInfo(volumePath, 0))
                .sizeBytes());
    }

    @Override
    public BackupInfo backupSnapshot(StoredPool pool, String volumePath, String snapshotName, String fromSnapshotName,
                                     BackupTarget target, TransferProgress progress) throws StorageException {
        calls.add("backup " + volumePath + "@" + snapshotName + " from " + fromSnapshotName + " to " + target.path());
        if (failBackup != null) {
            throw failBackup;
        }
        return new BackupInfo(target.path(), 1000, "00");
    }

    @Override
    public VolumeInfo restoreVolume(StoredPool pool, String newVolumeUuid, long sizeBytes, List<BackupFileRef> chain,
                                    TransferProgress progress) throws StorageException {
        calls.add("restore " + newVolumeUuid + " from " + chain.stream().map(BackupFileRef::path).toList());
        if (failCreate != null) {
            throw failCreate;
        }
        return new VolumeInfo(newVolumeUuid, sizeBytes);
    }

    @Override
    public PoolDefinition parsePool(String url, Map<String, String> details) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void testPool(PoolScope scope, PoolDefinition definition) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void attachPool(String hostUuid, StoredPool pool) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void detachPool(String hostUuid, StoredPool pool) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PoolCapacity capacity(StoredPool pool) {
        throw new UnsupportedOperationException();
    }
}

