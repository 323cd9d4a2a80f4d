package io.rbdstack.server.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.volume.PoolThresholds;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A pool's view with what CloudStack's listStoragePoolsMetrics adds: the sizes in GB as text, and whether the
 * pool is over the notification and disable thresholds. Used is compared with the capacity and allocated with
 * the capacity x the over-provisioning factor, as placement and the alerts compare them (CloudStack's own
 * code also multiplies used by the factor and checks allocated-disable against used; the fields' documented
 * meaning is what is kept here).
 */
final class StoragePoolMetrics {

    private static final double GB = 1024.0 * 1024.0 * 1024.0;

    private StoragePoolMetrics() {
    }

    static ObjectNode of(StoragePoolView pool, PoolThresholds notification, PoolThresholds disable) {
        ObjectNode node = ApiJson.MAPPER.valueToTree(pool);
        Long total = pool.disksizetotal();
        Long allocated = pool.disksizeallocated();
        String factor = pool.overprovisionfactor();
        if (pool.disksizeused() != null) {
            node.put("disksizeusedgb", gb(pool.disksizeused()));
        }
        if (allocated != null) {
            node.put("disksizeallocatedgb", gb(allocated));
        }
        if (total != null && pool.disksizeused() != null) {
            node.put("storageusagethreshold", notification.usedOver(pool.disksizeused(), total));
            node.put("storageusagedisablethreshold", disable.usedOver(pool.disksizeused(), total));
        }
        if (total != null && factor != null && allocated != null) {
            BigDecimal overprovisioning = new BigDecimal(factor);
            node.put("storageallocatedthreshold", notification.allocatedOver(allocated, total, overprovisioning));
            node.put("storageallocateddisablethreshold", disable.allocatedOver(allocated, total, overprovisioning));
        }
        if (total != null && factor != null) {
            node.put("disksizetotalgb", String.format(Locale.ROOT, "%.2f GB (x%s)", total / GB, factor));
            if (allocated != null) {
                double room = new BigDecimal(factor).doubleValue() * total - allocated;
                node.put("disksizeunallocatedgb", String.format(Locale.ROOT, "%.2f GB", room / GB));
            }
        }
        return node;
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / GB);
    }
}
