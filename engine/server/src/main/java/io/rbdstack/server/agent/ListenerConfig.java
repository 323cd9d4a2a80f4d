package io.rbdstack.server.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how {@link AgentListener} listens.
 *
 * @param bindAddress        address to bind (e.g. "0.0.0.0", "127.0.0.1")
 * @param port               TCP port; 0 picks a free one ({@link AgentListener#port()} tells which)
 * @param tls                TLS server context (the server's certificate, and the trust that client
 *                           certificates are checked with), or empty for plain TCP only
 * @param plainAllowed       whether plain-TCP agents are served too (with TLS, the first byte of a
 *                           connection tells which it is)
 * @param heartbeatInterval  how often agents ping; 3 silent intervals make a host overdue, 6 disconnect it
 * @param handshakeTimeout   how long a new connection may take to complete TLS and send its first line
 * @param maxUnauthenticated most connections at once that have not authenticated yet; more are closed at once
 */
public record ListenerConfig(
        String bindAddress,
        int port,
        Optional<SSLContext> tls,
        boolean plainAllowed,
        Duration heartbeatInterval,
        Duration handshakeTimeout,
        int maxUnauthenticated) {

    /** CloudStack's agents connect to 8250. */
    public static final int DEFAULT_PORT = 8250;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_UNAUTHENTICATED = 64;

    public ListenerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (tls.isEmpty() && !plainAllowed) {
            throw new IllegalArgumentException("a listener without TLS must allow plain TCP");
        }
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        if (heartbeatInterval.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeatInterval must be at least 1 ms (the welcome carries milliseconds)");
        }
        if (maxUnauthenticated < 1) {
            throw new IllegalArgumentException("maxUnauthenticated must be at least 1");
        }
    }

    /** Plain TCP with the default heartbeat interval, handshake timeout and cap. */
    public static ListenerConfig plain(String bindAddress, int port) {
        return new ListenerConfig(bindAddress, port, Optional.empty(), true,
                DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_UNAUTHENTICATED);
    }

    /** TLS only (plain TCP refused). */
    public ListenerConfig withTls(SSLContext context) {
        return new ListenerConfig(bindAddress, port, Optional.of(context), false, heartbeatInterval,
                handshakeTimeout, maxUnauthenticated);
    }

    public ListenerConfig withPlainAllowed(boolean allowed) {
        return new ListenerConfig(bindAddress, port, tls, allowed, heartbeatInterval, handshakeTimeout,
                maxUnauthenticated);
    }

    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(bindAddress, newPort, tls, plainAllowed, heartbeatInterval, handshakeTimeout,
                maxUnauthenticated);
    }

    public ListenerConfig withHeartbeatInterval(Duration interval) {
        return new ListenerConfig(bindAddress, port, tls, plainAllowed, interval, handshakeTimeout, maxUnauthenticated);
    }

    public ListenerConfig withHandshakeTimeout(Duration timeout) {
        return new ListenerConfig(bindAddress, port, tls, plainAllowed, heartbeatInterval, timeout, maxUnauthenticated);
    }

    public ListenerConfig withMaxUnauthenticated(int max) {
        return new ListenerConfig(bindAddress, port, tls, plainAllowed, heartbeatInterval, handshakeTimeout, max);
    }

    /** Silence after which a host is reported overdue. */
    public Duration overdueAfter() {
        return heartbeatInterval.multipliedBy(3);
    }

    /** Silence after which the server closes the connection. */
    public Duration disconnectAfter() {
        return heartbeatInterval.multipliedBy(6);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
