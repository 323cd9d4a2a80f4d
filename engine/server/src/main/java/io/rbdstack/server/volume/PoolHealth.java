package io.rbdstack.server.volume;

import io.rbdstack.server.alert.AlertType;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.PoolCapacity;
import io.rbdstack.spi.storage.StorageException;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each pool at every capacity refresh. A pool whose storage refuses its hosts (key refused,
 * monitors unreachable) or is full goes Alert with the reason, out of volume placement, until a later
 * refresh reads it fine; a pool over a disable threshold gets an alert (placement skips it by itself, see
 * {@link PoolThresholds}). Each condition raises one alert when it starts and ends it when it is over.
 * When no host could be asked, nothing is judged: that is the hosts' alert, not the pool's.
 */
public final class PoolHealth implements StoragePoolService.PoolCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PoolHealth.class);

    private final StoragePoolRepository pools;
    private final SettingsRepository settings;
    private final Alerts alerts;

    public PoolHealth(StoragePoolRepository pools, SettingsRepository settings, Alerts alerts) {
        this.pools = pools;
        this.settings = settings;
        this.alerts = alerts;
    }

    @Override
    public void read(StoragePoolRepository.PoolRow row, PoolCapacity capacity) {
        if (!judged(row)) {
            return;
        }
        long total = row.capacityLimit() == null ? capacity.totalBytes()
                : Math.min(capacity.totalBytes(), row.capacityLimit());
        long used = capacity.usedBytes();
        if (total > 0 && used >= total) {
            unusable(row, "full: " + VolumeSize.describe(used) + " used of " + VolumeSize.describe(total));
        } else {
            if (pools.markUsable(row.id())) {
                LOG.info("Storage pool {} is Up again: its capacity could be read", row.name());
            }
            alerts.pool(AlertType.STORAGE_MISC, row.id(), row.uuid(), false, null);
        }
        PoolThresholds thresholds = PoolThresholds.disable(settings);
        alerts.pool(AlertType.STORAGE, row.id(), row.uuid(), thresholds.usedOver(used, total),
                "Primary storage pool " + row.name() + " has " + VolumeSize.describe(used) + " used of "
                        + VolumeSize.describe(total) + ", over " + Setting.POOL_STORAGE_CAPACITY_DISABLETHRESHOLD.name()
                        + " " + thresholds.used().toPlainString() + ": it takes no new volumes");
        BigDecimal factor = VolumeService.overprovisioningFactor(settings);
        long allocated = pools.allocatedBytes(row.id());
        alerts.pool(AlertType.STORAGE_ALLOCATED, row.id(), row.uuid(), thresholds.allocatedOver(allocated, total, factor),
                "Primary storage pool " + row.name() + " has " + VolumeSize.describe(allocated) + " allocated of "
                        + VolumeSize.describe(total) + " x storage.overprovisioning.factor " + factor.toPlainString()
                        + ", over " + Setting.POOL_STORAGE_ALLOCATED_CAPACITY_DISABLETHRESHOLD.name() + " "
                        + thresholds.allocated().toPlainString() + ": it takes no new volumes");
    }

    @Override
    public void unreadable(StoragePoolRepository.PoolRow row, StorageException e) {
        if (judged(row) && e.kind() != StorageException.Kind.UNAVAILABLE) {
            unusable(row, e.getMessage());
        }
    }

    private void unusable(StoragePoolRepository.PoolRow row, String reason) {
        if (pools.markUnusable(row.id(), reason) && !StoragePoolRepository.ALERT.equals(row.status())) {
            LOG.warn("Storage pool {} is {}: {}", row.name(), StoragePoolRepository.ALERT, reason);
        }
        alerts.pool(AlertType.STORAGE_MISC, row.id(), row.uuid(), true, "Primary storage pool " + row.name()
                + " cannot be used by its hosts and takes no new volumes: " + reason);
    }

    /** Pools in maintenance or being removed are left as they are. */
    private static boolean judged(StoragePoolRepository.PoolRow row) {
        return "Up".equals(row.status()) || StoragePoolRepository.ALERT.equals(row.status());
    }
}
