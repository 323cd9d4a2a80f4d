package io.rbdstack.storage.rbd;

import io.rbdstack.spi.Secret;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An RBD primary storage pool as an admin defined it, checked and normalised: the monitors
 * (canonical hosts, no repeats), the Ceph pool, the cephx user without "client.", and the key as
 * standard padded base64.
 */
public record RbdPoolDefinition(List<CephMonitor> monitors, String cephPool, String cephUser, Secret cephKey) {

    public RbdPoolDefinition {
        monitors = List.copyOf(Objects.requireNonNull(monitors, "monitors"));
        if (monitors.isEmpty()) {
            throw new IllegalArgumentException("an RBD pool needs at least one monitor");
        }
        Objects.requireNonNull(cephPool, "cephPool");
        Objects.requireNonNull(cephUser, "cephUser");
        Objects.requireNonNull(cephKey, "cephKey");
    }

    /**
     * The definition as a url without the secret, the only form that may be stored in plain text or
     * shown: {@code rbd://user@mon1,mon2:port/pool}, or {@code rbd://user@mon1:p1,mon2:p2/pool} when
     * the ports differ. Parsing it back, with the secret as a detail, gives this definition again.
     */
    public String urlWithoutSecret() {
        return RbdUrlPieces.SCHEME + cephUser + "@" + monitorList() + "/" + cephPool;
    }

    /** What an agent command needs, for the pool with this uuid. */
    public RbdPool toRbdPool(String uuid) {
        return new RbdPool(uuid, monitors, cephPool, cephUser, cephKey);
    }

    /** Spelled out rather than left to the record, so the key stays out of logs whatever Secret does. */
    @Override
    public String toString() {
        return "RbdPoolDefinition[" + urlWithoutSecret() + ", cephKey=******]";
    }

    private String monitorList() {
        int firstPort = monitors.get(0).port();
        if (monitors.stream().allMatch(m -> m.port() == firstPort)) {
            return monitors.stream().map(m -> bracketed(m.host())).collect(Collectors.joining(",")) + ":" + firstPort;
        }
        return monitors.stream().map(CephMonitor::monHostEntry).collect(Collectors.joining(","));
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
