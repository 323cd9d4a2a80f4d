package io.rbdstack.agent.connect;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how {@link ManagementServerClient} connects.
 *
 * @param host             management server name or address; with TLS its certificate must name it
 * @param port             the agent port (CloudStack's default is 8250)
 * @param tls              a fixed TLS context whose trust store holds the server's certificate (or
 *                         its CA), the server's certificate naming {@code host}; empty otherwise
 * @param certificates     the built-in CA's mutual TLS: the host's certificate and pinned CA (got at
 *                         the first connection with the addHost credential); empty otherwise. With
 *                         neither, plain TCP
 * @param connectTimeout   TCP connect
 * @param handshakeTimeout TLS handshake plus the wait for welcome or rejection
 * @param backoff          delays between attempts
 * @param workerThreads    commands run at the same time; more wait in line
 */
public record ClientConfig(
        String host,
        int port,
        Optional<SSLContext> tls,
        Optional<AgentCertificates> certificates,
        Duration connectTimeout,
        Duration handshakeTimeout,
        ReconnectBackoff backoff,
        int workerThreads) {

    public ClientConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(certificates, "certificates");
        if (tls.isPresent() && certificates.isPresent()) {
            throw new IllegalArgumentException("a fixed TLS context or the CA's certificates, not both");
        }
        Objects.requireNonNull(backoff, "backoff");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1");
        }
    }

    /** Plain TCP; 10 s to connect, 30 s for the handshake, standard backoff, 8 workers. */
    public static ClientConfig plain(String host, int port) {
        return new ClientConfig(host, port, Optional.empty(), Optional.empty(), Duration.ofSeconds(10),
                Duration.ofSeconds(30), ReconnectBackoff.standard(), 8);
    }

    public ClientConfig withTls(SSLContext context) {
        return new ClientConfig(host, port, Optional.of(context), Optional.empty(), connectTimeout, handshakeTimeout,
                backoff, workerThreads);
    }

    /** Mutual TLS with the built-in CA's certificates, bootstrapped with the addHost credential if need be. */
    public ClientConfig withCertificates(AgentCertificates agentCertificates) {
        return new ClientConfig(host, port, Optional.empty(), Optional.of(agentCertificates), connectTimeout,
                handshakeTimeout, backoff, workerThreads);
    }

    public ClientConfig withBackoff(ReconnectBackoff newBackoff) {
        return new ClientConfig(host, port, tls, certificates, connectTimeout, handshakeTimeout, newBackoff,
                workerThreads);
    }

    public ClientConfig withHandshakeTimeout(Duration timeout) {
        return new ClientConfig(host, port, tls, certificates, connectTimeout, timeout, backoff, workerThreads);
    }

    public ClientConfig withWorkerThreads(int threads) {
        return new ClientConfig(host, port, tls, certificates, connectTimeout, handshakeTimeout, backoff, threads);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
