package io.rbdstack.agent.connect;

import java.time.Duration;

/**
 * Learns about the client's connection. Every method is called on the client's connection thread:
 * until {@link #onConnected} returns, no command of the new connection runs (heartbeats do go on),
 * so it is the place to restore state the server expects, such as storage pools, after a reconnect.
 */
public interface ConnectionListener {

    ConnectionListener NONE = new ConnectionListener() {
    };

    /** The server welcomed the agent as this host. */
    default void onConnected(String hostId) {
    }

    /** An established connection ended. */
    default void onDisconnected(String reason) {
    }

    /** The client will try again after the delay: the last attempt failed, or a connection ended. */
    default void onRetryScheduled(String reason, Duration delay) {
    }
}
