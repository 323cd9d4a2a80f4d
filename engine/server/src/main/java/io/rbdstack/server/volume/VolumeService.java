package io.rbdstack.server.volume;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.limit.LimitCheck;
import io.rbdstack.server.limit.ResourceType;
import io.rbdstack.server.offering.DiskOffering;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StoredPool;
import io.rbdstack.spi.storage.TransferProgress;
import io.rbdstack.spi.storage.VolumeInfo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to volumes on their storage, in the order that leaves nothing half-made: the row is
 * saved (holding capacity) before the storage is asked; a creation that fails deletes whatever the
 * storage made and marks the row Error and removed; a failed resize or delete puts the volume back
 * to Ready, since the image is still what it was.
 */
public final class VolumeService {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);

    private final Jdbc jdbc;
    private final VolumeRepository volumes;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final SettingsRepository settings;
    private final VolumeSnapshots snapshots;
    private final LimitCheck limits;
    private final VolumeClones clones;

    public VolumeService(Jdbc jdbc, VolumeRepository volumes, StoragePoolRepository pools, StoragePoolService poolService,
                         SettingsRepository settings, VolumeSnapshots snapshots, LimitCheck limits) {
        this.clones = new VolumeClones(jdbc);
        this.snapshots = snapshots;
        this.limits = limits;
        this.jdbc = jdbc;
        this.volumes = volumes;
        this.pools = pools;
        this.poolService = poolService;
        this.settings = settings;
    }

    /**
     * createVolume's request part: chooses the pool and saves the volume as Allocated, both under the
     * zone's pool lock so that concurrent creations cannot together overfill a pool.
     *
     * @param offering null for a volume created from a size alone
     * @throws ApiException 533 when no pool of the zone fits, 532 over a resource limit of the owner
     */
    public VolumeRepository.VolumeRow allocate(Caller owner, String uuid, String name, long zoneId, String zoneName,
                                               DiskOffering offering, long sizeBytes) {
        return allocate(owner, uuid, name, zoneId, zoneName, offering == null ? null : offering.id(),
                offering == null ? Set.of() : Set.copyOf(offering.tags()), sizeBytes);
    }

    /**
     * {@link #allocate(Caller, String, String, long, String, DiskOffering, long)} for a volume whose pool must
     * carry {@code tags} (a root volume: its service offering's storage tags) and that has no disk offering.
     */
    public VolumeRepository.VolumeRow allocate(Caller owner, String uuid, String name, long zoneId, String zoneName,
                                               Long offeringId, Set<String> tags, long sizeBytes) {
        jdbc.transaction(() -> {
            limits.check(owner.accountId(), newVolume(sizeBytes));
            pools.lockPoolsOfZone(zoneId);
            List<StoragePoolChooser.Unusable> unusable = new ArrayList<>(pools.alertPoolsOfZone(zoneId).stream()
                    .map(p -> new StoragePoolChooser.Unusable(p.name(), p.status(), p.statusReason())).toList());
            Map<Long, String> disabled = pools.inDisabledScopes(zoneId);
            List<StoragePoolChooser.Candidate> candidates = new ArrayList<>();
            for (StoragePoolRepository.PoolRow pool : pools.upPoolsOfZone(zoneId)) {
                if (disabled.containsKey(pool.id())) {
                    unusable.add(new StoragePoolChooser.Unusable(pool.name(), disabled.get(pool.id()), null));
                } else {
                    candidates.add(candidate(pool));
                }
            }
            StoragePoolChooser.Candidate chosen = StoragePoolChooser.choose(zoneName, candidates, unusable, tags,
                    sizeBytes, overprovisioningFactor(), PoolThresholds.disable(settings));
            volumes.insert(new VolumeRepository.NewVolume(uuid, name, owner.accountId(), owner.domainId(), zoneId,
                    chosen.id(), offeringId, sizeBytes));
        });
        return volumes.find(uuid).orElseThrow();
    }

    /**
     * createVolume-from-a-snapshot's request part: the new volume goes on the snapshot's pool (the
     * storage clones the snapshot there), if that pool has room for it; saved as Allocated, with the
     * snapshot as its parent, under the zone's pool lock.
     *
     * @throws ApiException 533 when the pool has no room, 534 when it is not Up, 431 when the snapshot is
     *         being deleted meanwhile
     */
    public VolumeRepository.VolumeRow allocateClone(Caller owner, String uuid, String name, long zoneId, long poolId,
                                                    Long offeringId, long sizeBytes, String snapshotUuid) {
        jdbc.transaction(() -> {
            limits.check(owner.accountId(), newVolume(sizeBytes));
            clones.recordParentLock(snapshotUuid);
            pools.lockPoolsOfZone(zoneId);
            StoragePoolRepository.PoolRow pool = pools.upPoolsOfZone(zoneId).stream().filter(p -> p.id() == poolId)
                    .findFirst().orElseThrow(() -> ApiException.unavailable("The storage pool of the snapshot is not Up"
                            + " (in maintenance, unusable by its hosts or removed); a volume can only be made from a"
                            + " snapshot on its pool"));
            PoolThresholds.disable(settings).excludes(pool.name(), allocation(pool), pool.usedBytes(), sizeBytes,
                    overprovisioningFactor()).ifPresent(why -> {
                        throw ApiException.insufficientCapacity("The storage pool of the snapshot takes no new volume: "
                                + why);
                    });
            StoragePoolChooser.checkGrowth(pool.name(), allocation(pool), sizeBytes, overprovisioningFactor());
            volumes.insert(new VolumeRepository.NewVolume(uuid, name, owner.accountId(), owner.domainId(), zoneId,
                    poolId, offeringId, sizeBytes));
            clones.recordParent(uuid, snapshotUuid);
        });
        return volumes.find(uuid).orElseThrow();
    }

    /** What a new volume counts against its owner's limits. */
    private static Map<ResourceType, Long> newVolume(long sizeBytes) {
        return Map.of(ResourceType.volume, 1L, ResourceType.primary_storage, sizeBytes);
    }

    /** How the storage makes a new volume: from nothing, or from a snapshot. */
    @FunctionalInterface
    public interface VolumeMaker {
        VolumeInfo make(StorageProvider provider, StoredPool pool) throws StorageException;
    }

    /**
     * createVolume's job: the storage creates the volume under its uuid. If it fails, a delete of
     * that name is tried (the storage may have made part of it) and the row goes to Error, which
     * removes it; the job fails with the storage's reason.
     */
    public VolumeRepository.VolumeRow create(VolumeRepository.VolumeRow volume) {
        return create(volume, (provider, stored) -> provider.createVolume(stored, volume.uuid(), volume.sizeBytes()));
    }

    /**
     * createVolume's job for a volume made from snapshot {@code snapshotName} of the volume at {@code sourcePath}: a
     * copy-on-write clone of it, made in the same time whatever its size.
     */
    public VolumeRepository.VolumeRow cloneFromSnapshot(VolumeRepository.VolumeRow volume, String sourcePath,
                                                        String snapshotName) {
        return create(volume, (provider, stored) -> provider.cloneSnapshot(stored, sourcePath, snapshotName,
                volume.uuid()));
    }

    /**
     * flattenVolume's work: the storage copies into the volume what it shares with its parent (a snapshot or a
     * template), after which it depends on neither. The volume stays Ready and usable meanwhile (librbd flattens
     * under a running guest); a volume that depends on nothing is left as it is.
     */
    public VolumeRepository.VolumeRow flatten(VolumeRepository.VolumeRow volume, TransferProgress progress) {
        StoragePoolRepository.PoolRow pool = pool(volume);
        try {
            poolService.plugin(pool).provider().flattenVolume(pools.stored(pool), volume.path(), progress);
        } catch (StorageException | RuntimeException e) {
            throw StorageErrors.failed("Volume " + volume.name() + " was not flattened", e);
        }
        clones.flattened(volume.id());
        LOG.info("Flattened volume {} ({}) on pool {}", volume.name(), volume.uuid(), pool.name());
        return volumes.find(volume.uuid()).orElseThrow();
    }

    /** The clone relations of volumes, for the commands that must respect them. */
    public VolumeClones clones() {
        return clones;
    }

    /** deployVirtualMachine's job for a root volume: a copy-on-write clone of the template's base image in its pool. */
    public VolumeRepository.VolumeRow createFromTemplate(VolumeRepository.VolumeRow volume,
                                                         io.rbdstack.spi.storage.TemplateInfo template) {
        return create(volume, (provider, stored) -> provider.createVolumeFromTemplate(stored, template, volume.uuid(),
                volume.sizeBytes()));
    }

    /** createVolume's job for a volume restored from backups: a full one, then incremental ones in order. */
    public VolumeRepository.VolumeRow restoreFromBackups(VolumeRepository.VolumeRow volume,
                                                         List<io.rbdstack.spi.storage.BackupFileRef> chain,
                                                         TransferProgress progress) {
        return create(volume, (provider, stored) -> provider.restoreVolume(stored, volume.uuid(), volume.sizeBytes(),
                chain, progress));
    }

    private VolumeRepository.VolumeRow create(VolumeRepository.VolumeRow volume, VolumeMaker maker) {
        if (!volumes.move(volume.id(), VolumeState.Allocated, VolumeState.Creating)) {
            throw ApiException.internal("Volume " + volume.name() + " is no longer Allocated; not creating it", null);
        }
        StoragePoolRepository.PoolRow pool;
        StorageProvider provider;
        StoredPool stored;
        try {
            pool = pool(volume);
            provider = poolService.plugin(pool).provider();
            stored = pools.stored(pool);
        } catch (RuntimeException e) {
            throw rolledBack(volume, VolumeState.Creating, VolumeState.Error, StorageErrors.failed("Volume " + volume.name()
                    + " was not created", e));
        }
        try {
            VolumeInfo created = maker.make(provider, stored);
            if (!volumes.moveToReady(volume.id(), VolumeState.Creating, created.path(), created.sizeBytes(),
                    volume.offeringId())) {
                throw new IllegalStateException("volume " + volume.uuid() + " left Creating while the storage created it");
            }
        } catch (StorageException | RuntimeException e) {
            deleteLeftover(provider, stored, volume);
            throw rolledBack(volume, VolumeState.Creating, VolumeState.Error, StorageErrors.failed("Volume " + volume.name()
                    + " was not created", e));
        }
        LOG.info("Created volume {} ({}) of {} on pool {}", volume.name(), volume.uuid(),
                VolumeSize.describe(volume.sizeBytes()), pool.name());
        return volumes.find(volume.uuid()).orElseThrow();
    }

    /**
     * resizeVolume's request part: checks the pool has room for the growth and moves the volume to
     * Resizing at its new size, under the zone's pool lock, so the growth holds the pool's capacity
     * until the job ends.
     *
     * @throws ApiException 533 without room, 431 when the volume is no longer Ready
     */
    public void beginResize(VolumeRepository.VolumeRow volume, long newSizeBytes) {
        jdbc.transaction(() -> {
            long growth = newSizeBytes - volume.sizeBytes();
            limits.check(volume.accountId(), Map.of(ResourceType.primary_storage, growth));
            pools.lockPoolsOfZone(volume.zoneId());
            if (growth > 0) {
                StoragePoolRepository.PoolRow pool = pool(volume);
                StoragePoolChooser.checkGrowth(pool.name(), allocation(pool), growth, overprovisioningFactor());
            }
            if (!volumes.moveToResizing(volume.id(), newSizeBytes)) {
                throw noLongerReady(volume);
            }
        });
    }

    /**
     * resizeVolume's job: the storage grows the volume. On failure it is Ready again at the size the
     * storage reports (the old size when the storage cannot say), with the new offering only if it
     * did reach the new size.
     */
    public VolumeRepository.VolumeRow resize(VolumeRepository.VolumeRow volume, long newSizeBytes, Long offeringId) {
        StoragePoolRepository.PoolRow pool = null;
        try {
            pool = pool(volume);
            VolumeInfo resized = poolService.plugin(pool).provider().resizeVolume(pools.stored(pool), volume.path(),
                    newSizeBytes);
            volumes.moveToReady(volume.id(), VolumeState.Resizing, resized.path(), resized.sizeBytes(), offeringId);
        } catch (StorageException | RuntimeException e) {
            ApiException failure = StorageErrors.failed("Volume " + volume.name() + " was not resized", e);
            long size = pool == null ? volume.sizeBytes() : sizeOnStorage(pool, volume).orElse(volume.sizeBytes());
            try {
                volumes.moveToReady(volume.id(), VolumeState.Resizing, volume.path(), size,
                        size >= newSizeBytes ? offeringId : volume.offeringId());
            } catch (RuntimeException recording) {
                LOG.error("Volume {} stays Resizing: recording Ready failed", volume.uuid(), recording);
                failure.addSuppressed(recording);
            }
            throw failure;
        }
        return volumes.find(volume.uuid()).orElseThrow();
    }

    /** The volume's size as its storage reports it; empty when the storage cannot say or has no such volume. */
    private Optional<Long> sizeOnStorage(StoragePoolRepository.PoolRow pool, VolumeRepository.VolumeRow volume) {
        try {
            return poolService.plugin(pool).provider().describeVolume(pools.stored(pool), volume.path())
                    .map(VolumeInfo::sizeBytes);
        } catch (StorageException | RuntimeException e) {
            LOG.warn("Cannot ask the storage for the size of volume {}: {}", volume.uuid(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * deleteVolume: the storage deletes the volume with its snapshots, after the deferral of
     * storage.volume.deferred.delete.seconds (or longer, if the plugin's options say so). Destroyed
     * when the storage still keeps the data, Expunged when it is gone; either way the row is removed
     * and its size no longer counts on the pool.
     */
    public void delete(VolumeRepository.VolumeRow volume) {
        delete(volume, false);
    }

    /**
     * A VM's expunge deleting its volume: as {@link #delete}, except that a volume the storage refuses to delete
     * because a client still has it open (a killed qemu's Ceph watch lasts until Ceph times it out) is not
     * kept: it goes Expunging (removed, as deleted) and {@link ExpungingVolumes} deletes it once the client
     * is gone.
     *
     * @return true when it is deleted now, false when it was left to the storage cleanup
     */
    public boolean deleteWithItsVm(VolumeRepository.VolumeRow volume) {
        return delete(volume, true);
    }

    private boolean delete(VolumeRepository.VolumeRow volume, boolean withItsVm) {
        StoragePoolRepository.PoolRow pool = pool(volume);
        StorageProvider provider = poolService.plugin(pool).provider();
        if (!volumes.move(volume.id(), VolumeState.Ready, VolumeState.Destroying)) {
            throw noLongerReady(volume);
        }
        if (clones.flattening(volume.uuid())) {
            volumes.move(volume.id(), VolumeState.Destroying, VolumeState.Ready);
            throw ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") is being"
                    + " flattened (a flattenVolume job); delete it when that is done (parameter id)");
        }
        // After the move, as for snapshots below: a clone being made of it locks the row and sees Destroying.
        List<VolumeClones.Clone> dependents = clones.ofVolume(volume.id());
        if (!dependents.isEmpty()) {
            volumes.move(volume.id(), VolumeState.Destroying, VolumeState.Ready);
            throw ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") cannot be"
                    + " deleted: volume(s) " + VolumeClones.names(dependents) + " are cloned from its snapshots and"
                    + " depend on them; flatten them (flattenVolume) or delete them first (parameter id)");
        }
        // Checked after the move, as a backup checks the volume after its own move: of two that race,
        // at least one sees the other and backs off.
        if (snapshots.busy(volume.id())) {
            volumes.move(volume.id(), VolumeState.Destroying, VolumeState.Ready);
            throw ApiException.invalidParameter("A snapshot of volume " + volume.name() + " is being taken or backed"
                    + " up; delete the volume when that is done");
        }
        long kept;
        try {
            kept = provider.deleteVolume(pools.stored(pool), volume.path(), deferral(settings));
        } catch (StorageException e) {
            if (withItsVm && e.kind() == StorageException.Kind.IN_USE) {
                deleted(volume, VolumeState.Destroying, VolumeState.Expunging);
                LOG.warn("Volume {} ({}) of an expunged VM is still open by a client of pool {}; the storage cleanup"
                        + " deletes it once the client is gone: {}", volume.name(), volume.uuid(), pool.name(),
                        e.getMessage());
                return false;
            }
            throw rolledBack(volume, VolumeState.Destroying, VolumeState.Ready, StorageErrors.failed("Volume "
                    + volume.name() + " was not deleted", e));
        } catch (RuntimeException e) {
            throw rolledBack(volume, VolumeState.Destroying, VolumeState.Ready, StorageErrors.failed("Volume "
                    + volume.name() + " was not deleted", e));
        }
        deleted(volume, VolumeState.Destroying, kept > 0 ? VolumeState.Destroyed : VolumeState.Expunged);
        LOG.info("Deleted volume {} ({}) from pool {}{}", volume.name(), volume.uuid(), pool.name(),
                kept > 0 ? "; the storage keeps its data for " + kept + " s" : "");
        return true;
    }

    /** The deferral the engine asks the storage for on a delete (storage.volume.deferred.delete.seconds). */
    static long deferral(SettingsRepository settings) {
        return Math.max(0, settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS));
    }

    /** The volume's state and its snapshots' primary copies change together or not at all. */
    private void deleted(VolumeRepository.VolumeRow volume, VolumeState from, VolumeState to) {
        jdbc.transaction(() -> {
            volumes.move(volume.id(), from, to);
            snapshots.imageDeleted(volume.id());
        });
    }

    /** The tags of the volume's pool. */
    public Set<String> poolTags(VolumeRepository.VolumeRow volume) {
        return Set.copyOf(pools.tags(pool(volume).id()));
    }

    /** Moves the volume on after a failure; the failure is what the caller reports, even if the move fails too. */
    private ApiException rolledBack(VolumeRepository.VolumeRow volume, VolumeState from, VolumeState to,
                                    ApiException failure) {
        try {
            volumes.move(volume.id(), from, to);
        } catch (RuntimeException e) {
            LOG.error("Volume {} stays {}: recording {} failed", volume.uuid(), from, to, e);
            failure.addSuppressed(e);
        }
        return failure;
    }

    private void deleteLeftover(StorageProvider provider, StoredPool pool, VolumeRepository.VolumeRow volume) {
        try {
            provider.deleteVolume(pool, volume.uuid(), 0);
        } catch (StorageException | RuntimeException e) {
            LOG.warn("After the failed creation of volume {}, deleting what the storage may have made of it failed"
                    + " too: {}", volume.uuid(), e.getMessage());
        }
    }

    private StoragePoolRepository.PoolRow pool(VolumeRepository.VolumeRow volume) {
        if (volume.poolId() == null) {
            throw new IllegalStateException("volume " + volume.uuid() + " has no pool");
        }
        return pools.findById(volume.poolId()).orElseThrow(() -> ApiException.internal("The storage pool of volume "
                + volume.name() + " is gone", null));
    }

    private StoragePoolChooser.Candidate candidate(StoragePoolRepository.PoolRow row) {
        return new StoragePoolChooser.Candidate(row.id(), row.uuid(), row.name(), Set.copyOf(pools.tags(row.id())),
                allocation(row), row.usedBytes());
    }

    private PoolAllocation allocation(StoragePoolRepository.PoolRow row) {
        return new PoolAllocation(row.totalBytes(), pools.allocatedBytes(row.id()));
    }

    private BigDecimal overprovisioningFactor() {
        return overprovisioningFactor(settings);
    }

    static BigDecimal overprovisioningFactor(SettingsRepository settings) {
        return PoolThresholds.decimal(settings, Setting.STORAGE_OVERPROVISIONING_FACTOR);
    }

    static ApiException noLongerReady(VolumeRepository.VolumeRow volume) {
        return ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") is no longer Ready:"
                + " another operation on it started meanwhile; try again when it is Ready");
    }

}
