package io.rbdstack.server.volume;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.offering.DiskOffering;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StoredPool;
import io.rbdstack.spi.storage.VolumeInfo;
import java.math.BigDecimal;
import java.util.List;
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

    public VolumeService(Jdbc jdbc, VolumeRepository volumes, StoragePoolRepository pools, StoragePoolService poolService,
                         SettingsRepository settings) {
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
     * @throws ApiException 533 when no pool of the zone fits
     */
    public VolumeRepository.VolumeRow allocate(Caller owner, String uuid, String name, long zoneId, String zoneName,
                                               DiskOffering offering, long sizeBytes) {
        Set<String> tags = offering == null ? Set.of() : Set.copyOf(offering.tags());
        inTransaction(() -> {
            pools.lockPoolsOfZone(zoneId);
            List<StoragePoolChooser.Candidate> candidates = pools.upPoolsOfZone(zoneId).stream()
                    .map(this::candidate).toList();
            StoragePoolChooser.Candidate chosen = StoragePoolChooser.choose(zoneName, candidates, tags, sizeBytes,
                    overprovisioningFactor());
            volumes.insert(new VolumeRepository.NewVolume(uuid, name, owner.accountId(), owner.domainId(), zoneId,
                    chosen.id(), offering == null ? null : offering.id(), sizeBytes));
        });
        return volumes.find(uuid).orElseThrow();
    }

    /**
     * createVolume's job: the storage creates the volume under its uuid. If it fails, a delete of
     * that name is tried (the storage may have made part of it) and the row goes to Error, which
     * removes it; the job fails with the storage's reason.
     */
    public VolumeRepository.VolumeRow create(VolumeRepository.VolumeRow volume) {
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
            throw rolledBack(volume, VolumeState.Creating, VolumeState.Error, failed("Volume " + volume.name()
                    + " was not created", e));
        }
        try {
            VolumeInfo created = provider.createVolume(stored, volume.uuid(), volume.sizeBytes());
            if (!volumes.moveToReady(volume.id(), VolumeState.Creating, created.path(), created.sizeBytes(),
                    volume.offeringId())) {
                throw new IllegalStateException("volume " + volume.uuid() + " left Creating while the storage created it");
            }
        } catch (StorageException | RuntimeException e) {
            deleteLeftover(provider, stored, volume);
            throw rolledBack(volume, VolumeState.Creating, VolumeState.Error, failed("Volume " + volume.name()
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
        inTransaction(() -> {
            pools.lockPoolsOfZone(volume.zoneId());
            long growth = newSizeBytes - volume.sizeBytes();
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
            ApiException failure = failed("Volume " + volume.name() + " was not resized", e);
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
        StoragePoolRepository.PoolRow pool = pool(volume);
        StorageProvider provider = poolService.plugin(pool).provider();
        if (!volumes.move(volume.id(), VolumeState.Ready, VolumeState.Destroying)) {
            throw noLongerReady(volume);
        }
        long kept;
        try {
            long defer = Math.max(0, settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS));
            kept = provider.deleteVolume(pools.stored(pool), volume.path(), defer);
        } catch (StorageException | RuntimeException e) {
            throw rolledBack(volume, VolumeState.Destroying, VolumeState.Ready, failed("Volume " + volume.name()
                    + " was not deleted", e));
        }
        volumes.move(volume.id(), VolumeState.Destroying, kept > 0 ? VolumeState.Destroyed : VolumeState.Expunged);
        LOG.info("Deleted volume {} ({}) from pool {}{}", volume.name(), volume.uuid(), pool.name(),
                kept > 0 ? "; the storage keeps its data for " + kept + " s" : "");
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
                allocation(row));
    }

    private PoolAllocation allocation(StoragePoolRepository.PoolRow row) {
        return new PoolAllocation(row.totalBytes(), pools.allocatedBytes(row.id()));
    }

    private BigDecimal overprovisioningFactor() {
        try {
            return new BigDecimal(settings.value(Setting.STORAGE_OVERPROVISIONING_FACTOR).trim());
        } catch (NumberFormatException e) {
            return new BigDecimal(Setting.STORAGE_OVERPROVISIONING_FACTOR.defaultValue());
        }
    }

    static ApiException noLongerReady(VolumeRepository.VolumeRow volume) {
        return ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") is no longer Ready:"
                + " another operation on it started meanwhile; try again when it is Ready");
    }

    /** The storage's (or the database's) failure as the job's error, prefixed with what did not happen. */
    private static ApiException failed(String what, Exception e) {
        ApiException cause = e instanceof StorageException storage ? StorageErrors.toApi(storage)
                : e instanceof ApiException api ? api : ApiException.internal(e.getMessage(), e);
        return new ApiException(cause.errorCode(), cause.csErrorCode(), what + ": " + cause.getMessage(), e);
    }

    private void inTransaction(Runnable work) {
        try {
            jdbc.inTransaction(() -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.internal("Database error: " + e.getMessage(), e);
        }
    }
}
