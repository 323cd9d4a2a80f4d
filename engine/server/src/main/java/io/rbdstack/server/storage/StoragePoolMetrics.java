package io.rbdstack.server.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.ApiJson;
import java.math.BigDecimal;
import java.util.Locale;

/** A pool's view with the sizes CloudStack's listStoragePoolsMetrics adds, in GB as text. */
final class StoragePoolMetrics {

    private static final double GB = 1024.0 * 1024.0 * 1024.0;

    private StoragePoolMetrics() {
    }

    static ObjectNode of(StoragePoolView pool) {
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
