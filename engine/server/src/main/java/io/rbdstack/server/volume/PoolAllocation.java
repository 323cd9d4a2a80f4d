package io.rbdstack.server.volume;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Over-provisioning arithmetic for one primary storage pool: a pool may have up to
 * {@code total × storage.overprovisioning.factor} bytes allocated (the sum of its volumes'
 * provisioned sizes), since thin images only use what is written.
 *
 * @param totalBytes     the pool's total (the storage's, capped by capacitybytes); null when unknown
 * @param allocatedBytes the provisioned sizes of its volumes
 */
public record PoolAllocation(Long totalBytes, long allocatedBytes) {

    /** Bytes that may still be allocated; 0 for an unknown total (never read from the storage). */
    public long room(BigDecimal overprovisioningFactor) {
        if (totalBytes == null || overprovisioningFactor.signum() <= 0) {
            return 0;
        }
        BigDecimal allowed = BigDecimal.valueOf(totalBytes).multiply(overprovisioningFactor)
                .setScale(0, RoundingMode.FLOOR);
        BigDecimal room = allowed.subtract(BigDecimal.valueOf(allocatedBytes));
        if (room.signum() <= 0) {
            return 0;
        }
        return room.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    /** Whether {@code extraBytes} more may be allocated: allocated + extra ≤ total × factor. */
    public boolean fits(long extraBytes, BigDecimal overprovisioningFactor) {
        return extraBytes <= room(overprovisioningFactor);
    }
}
