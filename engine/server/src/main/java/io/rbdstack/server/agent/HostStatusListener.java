package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.Hello;

/**
 * Learns what happens to each host's connection. Calls come from one thread, in the order the
 * events happened, never two at a time; a slow implementation delays later events but no socket.
 * For a host that reconnects (or whose connection is replaced) the old connection's
 * {@code disconnected} always comes before the new one's {@code connected}.
 */
public interface HostStatusListener {

    /** The agent passed the handshake; requests can be sent to it. */
    void connected(String hostId, Hello hello);

    /** A ping arrived (also after {@link #heartbeatOverdue}, when the host has recovered). */
    void heartbeat(String hostId);

    /** Nothing heard for 3 heartbeat intervals while the socket is still open (CloudStack: Alert). */
    void heartbeatOverdue(String hostId);

    /** The connection is gone: closed by either side, replaced, or silent for 6 intervals. */
    void disconnected(String hostId, String reason);
}
