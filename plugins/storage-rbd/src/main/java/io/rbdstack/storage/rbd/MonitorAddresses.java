package io.rbdstack.storage.rbd;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical form a pool's monitors are stored in ({@code storage_pool.host_address}):
 * {@code host:port} entries, IPv6 in brackets, comma-separated.
 */
final class MonitorAddresses {

    private MonitorAddresses() {
    }

    static String format(List<CephMonitor> monitors) {
        return String.join(",", monitors.stream().map(CephMonitor::monHostEntry).toList());
    }

    static List<CephMonitor> parse(String stored) {
        List<CephMonitor> monitors = new ArrayList<>();
        for (String entry : stored.split(",")) {
            int colon = entry.lastIndexOf(':');
            String host = entry.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            monitors.add(new CephMonitor(host, Integer.parseInt(entry.substring(colon + 1))));
        }
        return monitors;
    }
}
