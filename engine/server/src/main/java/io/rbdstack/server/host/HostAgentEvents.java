package io.rbdstack.server.host;

import io.rbdstack.server.agent.HostAuthenticator;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.agent.HostStatusListener;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.ca.CertificateAuthority;
import io.rbdstack.server.ca.HostCertificateRepository;
import io.rbdstack.spi.agent.Hello;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties agent connections to host rows: an agent is the host its client certificate was issued to
 * (or, over plain TCP when allowed, whose credential hash matches its hello), and each connection
 * event moves the host's state (Up, Alert, Disconnected) with a reason. A host leaving Up raises an
 * alert, which ends when it is Up again.
 */
public final class HostAgentEvents implements HostAuthenticator, HostStatusListener {

    private static final Logger LOG = LoggerFactory.getLogger(HostAgentEvents.class);

    /** CloudStack's ca.framework.cert.expiry.alert.period default. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(15);

    private final HostRepository hosts;
    private final HostCertificateRepository certificates;
    private final long msid;
    private final Alerts alerts;
    /** Hosts this server saw go Alert: a heartbeat from one of them ends its alert (others cost no query). */
    private final java.util.Set<String> overdue = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.List<java.util.function.Consumer<String>> connectedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public HostAgentEvents(HostRepository hosts, HostCertificateRepository certificates, long msid, Alerts alerts) {
        this.hosts = hosts;
        this.certificates = certificates;
        this.msid = msid;
        this.alerts = alerts;
    }

    /** "kvm1 (uuid)" for alert texts; the uuid alone when the host row is gone. */
    private String name(String hostId) {
        return hosts.find(hostId).map(h -> h.name() + " (" + hostId + ")").orElse(hostId);
    }

    /** Plain TCP (when allowed): a credential not yet spent on a certificate. */
    @Override
    public Optional<String> authenticate(String hostToken, Hello hello) {
        Optional<String> host = hosts.uuidByUnspentToken(SecretCipher.sha256Hex(hostToken));
        if (host.isEmpty()) {
            LOG.warn("Refused plain-TCP agent from host {}: invalid or already spent host credential", hello.hostname());
        }
        return host;
    }

    /** Mutual TLS: the live host the certificate was issued to. */
    @Override
    public Optional<String> authenticate(X509Certificate certificate, Hello hello) {
        Optional<String> host = certificates.hostOf(certificate);
        if (host.isEmpty()) {
            LOG.warn("Refused agent from host {}: certificate {} ({}) names no live host", hello.hostname(),
                    CertificateAuthority.serialText(certificate), certificate.getSubjectX500Principal().getName());
        } else if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            // Nothing renews certificates by itself yet: say so while there is time to act.
            LOG.warn("The certificate of host {} expires at {}: renew it with provisionCertificate", host.get(),
                    certificate.getNotAfter().toInstant());
        }
        return host;
    }

    /** Runs {@code listener} with the host's uuid each time a host's agent connects. */
    public void onConnected(java.util.function.Consumer<String> listener) {
        connectedListeners.add(listener);
    }

    @Override
    public void connected(String hostId, Hello hello) {
        hosts.connected(hostId, hello.agentVersion(), hello.hostInfo(), msid);
        LOG.info("Host {} ({}) connected: {}", hostId, hello.hostname(), hello.hostInfo());
        overdue.remove(hostId);
        alerts.hostUp(hostId);
        connectedListeners.forEach(listener -> listener.accept(hostId));
    }

    @Override
    public void heartbeat(String hostId) {
        hosts.pinged(hostId);
        if (overdue.remove(hostId)) {
            alerts.hostUp(hostId); // back from Alert
        }
    }

    @Override
    public void heartbeatOverdue(String hostId) {
        hosts.status(hostId, HostStatus.Alert, "No heartbeat from the agent for 3 intervals");
        LOG.warn("Host {} is Alert: heartbeats overdue", hostId);
        overdue.add(hostId);
        alerts.hostDown(hostId, "Host " + name(hostId) + " is Alert: no heartbeat from its agent for 3 intervals");
    }

    @Override
    public void disconnected(String hostId, String reason) {
        if (hosts.find(hostId).isEmpty()) {
            // deleteHost: a host that is gone is not down, and whatever alert it had ends with it.
            LOG.info("Host {} disconnected: {}", hostId, reason);
            overdue.remove(hostId);
            alerts.hostUp(hostId);
            return;
        }
        hosts.status(hostId, HostStatus.Disconnected, reason);
        LOG.warn("Host {} disconnected: {}", hostId, reason);
        overdue.remove(hostId);
        alerts.hostDown(hostId, "Host " + name(hostId) + " is Disconnected: " + reason);
    }
}
