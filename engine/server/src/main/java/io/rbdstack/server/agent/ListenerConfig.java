package io.rbdstack.server.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how {@link AgentListener} listens.
 *
 * @param bindAddress       address to bind (e.g. "0.0.0.0", "127.0.0.1")
 * @param port              TCP port; 0 picks a free one ({@link AgentListener#port()} tells which)
 * @param tls               TLS server context (key store with the server's certificate), or empty for plain TCP
 * @param heartbeatInterval how often agents ping; 3 silent intervals make a host overdue, 6 disconnect it
 * @param handshakeTimeout  how long a new connection may take to complete TLS and send its hello
 */
public record ListenerConfig(
        String bindAddress,
        int port,
        Optional<SSLContext> tls,
        Duration heartbeatInterval,
        Duration handshakeTimeout) {

    /** CloudStack's agents connect to 8250. */
    public static final int DEFAULT_PORT = 8250;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    public ListenerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        if (heartbeatInterval.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeatInterval must be at least 1 ms (the welcome carries milliseconds)");
        }
    }

    /** Plain TCP with the default heartbeat interval and handshake timeout. */
    public static ListenerConfig plain(String bindAddress, int port) {
        return new ListenerConfig(bindAddress, port, Optional.empty(),
                DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public ListenerConfig withTls(SSLContext context) {
        return new ListenerConfig(bindAddress, port, Optional.of(context), heartbeatInterval, handshakeTimeout);
    }

    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(bindAddress, newPort, tls, heartbeatInterval, handshakeTimeout);
    }

    public ListenerConfig withHeartbeatInterval(Duration interval) {
        return new ListenerConfig(bindAddress, port, tls, interval, handshakeTimeout);
    }

    public ListenerConfig withHandshakeTimeout(Duration timeout) {
        return new ListenerConfig(bindAddress, port, tls, heartbeatInterval, timeout);
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
