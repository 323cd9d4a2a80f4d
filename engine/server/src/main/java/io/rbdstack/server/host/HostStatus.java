package io.rbdstack.server.host;

/**
 * A host's connection state, as listHosts shows it. Connecting: added, its agent not yet seen.
 * Up: connected and heartbeating. Alert: connected but heartbeats overdue. Disconnected: the
 * connection is gone.
 */
public enum HostStatus {
    Connecting, Up, Alert, Disconnected
}
