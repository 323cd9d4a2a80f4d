package io.rbdstack.storage.rbd.agent;

import io.rbdstack.spi.Secret;
import java.util.List;
import java.util.Objects;

/**
 * Everything an agent needs to reach an RBD primary storage pool: the pool's uuid (which also
 * names the libvirt pool and secret), the monitors, the Ceph pool, the cephx user (without
 * "client.") and its key. {@code toString()} never shows the key.
 */
public record RbdPool(String uuid, List<CephMonitor> monitors, String cephPool, String cephUser, Secret cephKey) {

    public RbdPool {
        Objects.requireNonNull(uuid, "uuid");
        monitors = List.copyOf(monitors);
        if (monitors.isEmpty()) {
            throw new IllegalArgumentException("an RBD pool needs at least one monitor");
        }
        Objects.requireNonNull(cephPool, "cephPool");
        Objects.requireNonNull(cephUser, "cephUser");
        Objects.requireNonNull(cephKey, "cephKey");
    }

    /** librados' {@code mon_host}: every monitor, comma-separated. */
    public String monHost() {
        return String.join(",", monitors.stream().map(CephMonitor::monHostEntry).toList());
    }
}
