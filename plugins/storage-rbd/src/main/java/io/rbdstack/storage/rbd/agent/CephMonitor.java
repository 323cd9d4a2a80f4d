package io.rbdstack.storage.rbd.agent;

import java.util.Objects;

/**
 * One Ceph monitor: a host name, IPv4 or IPv6 address (without brackets) and a port; 6789 is the
 * v1 (legacy) port, 3300 the v2 (msgr2) port.
 */
public record CephMonitor(String host, int port) {

    public static final int V1_PORT = 6789;
    public static final int V2_PORT = 3300;

    public CephMonitor {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.startsWith("[")) {
            throw new IllegalArgumentException("monitor host must be a plain name or address: " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("monitor port out of range: " + port);
        }
    }

    /** The form librados' mon_host takes: {@code host:port}, IPv6 in brackets. */
    public String monHostEntry() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
