package io.rbdstack.server.volume;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * CloudStack's disable thresholds of primary storage: a pool whose used share of its capacity is over
 * {@code pool.storage.capacity.disablethreshold}, or that a new volume would bring over
 * {@code pool.storage.allocated.capacity.disablethreshold} of its capacity × the over-provisioning factor,
 * takes no new volume. A pool with nothing left at all is full, whatever the thresholds.
 */
public record PoolThresholds(BigDecimal used, BigDecimal allocated) {

    /** Thresholds that exclude no pool with room (1 = 100 %). */
    public static final PoolThresholds NONE = new PoolThresholds(BigDecimal.ONE, BigDecimal.ONE);

    /** The disable thresholds as the settings say now: over them a pool takes no new volume. */
    public static PoolThresholds disable(SettingsRepository settings) {
        return new PoolThresholds(decimal(settings, Setting.POOL_STORAGE_CAPACITY_DISABLETHRESHOLD),
                decimal(settings, Setting.POOL_STORAGE_ALLOCATED_CAPACITY_DISABLETHRESHOLD));
    }

    /** CloudStack's notification thresholds as the settings say now: a warning, nothing is refused. */
    public static PoolThresholds notification(SettingsRepository settings) {
        return new PoolThresholds(decimal(settings, Setting.CLUSTER_STORAGE_CAPACITY_NOTIFICATIONTHRESHOLD),
                decimal(settings, Setting.CLUSTER_STORAGE_ALLOCATED_CAPACITY_NOTIFICATIONTHRESHOLD));
    }

    /** A decimal setting's value; its default when the stored text is not a number. */
    public static BigDecimal decimal(SettingsRepository settings, Setting setting) {
        try {
            return new BigDecimal(settings.value(setting).trim());
        } catch (NumberFormatException e) {
            return new BigDecimal(setting.defaultValue());
        }
    }

    /**
     * Why the pool takes no new volume of {@code sizeBytes}, naming the threshold; empty when it may.
     *
     * @param usedBytes what the storage last reported in use (null when never read)
     */
    public Optional<String> excludes(String poolName, PoolAllocation pool, Long usedBytes, long sizeBytes,
                                      BigDecimal overprovisioningFactor) {
        Long total = pool.totalBytes();
        if (total != null && total > 0 && usedBytes != null) {
            if (usedBytes >= total) {
                return Optional.of("pool " + poolName + " is full (" + VolumeSize.describe(usedBytes) + " used of "
                        + VolumeSize.describe(total) + ")");
            }
            BigDecimal share = share(usedBytes, BigDecimal.valueOf(total));
            if (share.compareTo(used) > 0) {
                return Optional.of("pool " + poolName + " is " + percent(share) + " used, over "
                        + Setting.POOL_STORAGE_CAPACITY_DISABLETHRESHOLD.name() + " " + used.toPlainString());
            }
        }
        if (total != null && total > 0 && overprovisioningFactor.signum() > 0) {
            BigDecimal allowed = BigDecimal.valueOf(total).multiply(overprovisioningFactor);
            BigDecimal share = share(pool.allocatedBytes() + sizeBytes, allowed);
            if (share.compareTo(allocated) > 0 && pool.fits(sizeBytes, overprovisioningFactor)) {
                return Optional.of("pool " + poolName + " would be " + percent(share) + " allocated, over "
                        + Setting.POOL_STORAGE_ALLOCATED_CAPACITY_DISABLETHRESHOLD.name() + " "
                        + allocated.toPlainString());
            }
        }
        return Optional.empty();
    }

    /** Whether the used share is over the threshold (or the pool full): for the capacity refresh's alert. */
    public boolean usedOver(long usedBytes, long totalBytes) {
        return totalBytes > 0 && (usedBytes >= totalBytes
                || share(usedBytes, BigDecimal.valueOf(totalBytes)).compareTo(used) > 0);
    }

    /** Whether the allocated share is over the threshold: for the capacity refresh's alert. */
    public boolean allocatedOver(long allocatedBytes, long totalBytes, BigDecimal overprovisioningFactor) {
        BigDecimal allowed = BigDecimal.valueOf(totalBytes).multiply(overprovisioningFactor);
        return allowed.signum() > 0 && share(allocatedBytes, allowed).compareTo(allocated) > 0;
    }

    private static BigDecimal share(long part, BigDecimal whole) {
        return BigDecimal.valueOf(part).divide(whole, 6, RoundingMode.HALF_UP);
    }

    static String percent(BigDecimal share) {
        return share.movePointRight(2).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%";
    }
}
