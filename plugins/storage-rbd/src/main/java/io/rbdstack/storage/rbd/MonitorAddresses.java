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

    /**
     * The monitors of a stored value.
     *
     * @throws IllegalArgumentException naming the value when it is not that form (a row written by hand or by
     *                                  another tool)
     */
    static List<CephMonitor> parse(String stored) {
        if (stored == null || stored.isBlank()) {
            throw new IllegalArgumentException("no monitors stored");
        }
        List<CephMonitor> monitors = new ArrayList<>();
        for (String entry : stored.split(",", -1)) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("stored monitor '" + entry + "' is not host:port");
            }
            String host = entry.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stored monitor '" + entry + "' has no port number", e);
            }
            monitors.add(new CephMonitor(host, port));
        }
        return monitors;
    }
}
