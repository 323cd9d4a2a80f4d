package io.rbdstack.agent.ceph;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * librados' {@code mon_host} for a pool's monitors, with host names resolved here first. Why:
 * librados rejects the whole mon_host with EINVAL when a single name does not resolve (measured:
 * {@code no-such-host.invalid:6789,127.0.0.1:6789} fails although the second monitor is fine),
 * and prints the name on stdout. Resolved here, a stale name is skipped with a warning and the
 * other monitors are still used; a name with several addresses contributes all of them.
 */
final class MonitorAddresses {

    /** Name resolution; a seam for tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MonitorAddresses.class);

    private MonitorAddresses() {
    }

    /**
     * @throws CephException EINVAL when no monitor's name resolves
     */
    static String monHost(List<CephMonitor> monitors, Resolver resolver) throws CephException {
        Set<String> entries = new LinkedHashSet<>();
        List<String> unresolved = new ArrayList<>();
        for (CephMonitor monitor : monitors) {
            try {
                for (InetAddress address : resolver.resolve(monitor.host())) {
                    String host = address.getHostAddress();
                    entries.add((address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + monitor.port());
                }
            } catch (UnknownHostException e) {
                unresolved.add(monitor.host());
            }
        }
        if (entries.isEmpty()) {
            throw new CephException("no monitor name resolves: " + String.join(", ", unresolved), -CephErrors.EINVAL);
        }
        if (!unresolved.isEmpty()) {
            LOG.warn("Skipping Ceph monitors whose names do not resolve: {}", String.join(", ", unresolved));
        }
        return String.join(",", entries);
    }
}
