package io.rbdstack.server.agent;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.protocol.BoundedLineReader;
import io.rbdstack.protocol.MalformedMessageException;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.Ping;
import io.rbdstack.spi.agent.Progress;
import io.rbdstack.spi.agent.Pong;
import io.rbdstack.spi.agent.Rejected;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.StoppingAnswer;
import io.rbdstack.spi.agent.StoppingNotice;
import io.rbdstack.spi.agent.Welcome;
import io.rbdstack.protocol.tls.TlsContexts;
import io.rbdstack.spi.agent.CertificateIssued;
import io.rbdstack.spi.agent.CertificateRequest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's socket, from the hello to the close. Its {@link #run()} is the connection's reader
 * thread; {@link #send} writes from the caller's thread. The first reason given to
 * {@link #close} is the one reported.
 */
final class AgentConnection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentConnection.class);

    /** A hello is small: an unauthenticated peer must not make us buffer 16 MiB. */
    static final int MAX_HELLO_BYTES = 64 * 1024;
    /** The first byte of every TLS connection (a handshake record); a JSON line starts otherwise. */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final Socket socket;
    private final ListenerConfig config;
    private final HostAuthenticator authenticator;
    private final CertificateBootstrap bootstrap;
    private final ConnectedHosts hosts;
    private final MessageCodec codec;
    private final PendingRequests pending;
    private final Consumer<AgentConnection> onClosed;
    private final String remoteAddress;
    private final Liveness liveness = new Liveness();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The agent said it is stopping; a connection never stops stopping (the agent's restart is a new one). */
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object writeLock = new Object();
    private volatile String hostId;
    private volatile boolean overTls;
    private OutputStream out; // guarded by writeLock

    AgentConnection(Socket socket, ListenerConfig config, HostAuthenticator authenticator,
            CertificateBootstrap bootstrap, ConnectedHosts hosts, MessageCodec codec, PendingRequests pending,
            Consumer<AgentConnection> onClosed) {
        this.socket = socket;
        this.config = config;
        this.authenticator = authenticator;
        this.bootstrap = bootstrap;
        this.hosts = hosts;
        this.codec = codec;
        this.pending = pending;
        this.onClosed = onClosed;
        this.remoteAddress = String.valueOf(socket.getRemoteSocketAddress());
    }

    @Override
    public void run() {
        String reason = "connection closed by the agent";
        try {
            socket.setSoTimeout(Math.toIntExact(config.handshakeTimeout().toMillis()));
            Stream stream = secure();
            synchronized (writeLock) {
                out = new BufferedOutputStream(stream.socket().getOutputStream());
            }
            BoundedLineReader reader = new BoundedLineReader(stream.input(), MAX_HELLO_BYTES);
            handshake(reader, stream.peerCertificate());
            socket.setSoTimeout(0); // from now on the heartbeat monitor judges silence
            reader.maxLineBytes(AgentMessage.MAX_LINE_BYTES);
            readUntilClosed(reader);
        } catch (SocketTimeoutException e) {
            reason = hostId == null ? "no hello within " + config.handshakeTimeout().toMillis() + " ms"
                    : "connection error: " + e.getMessage();
        } catch (SSLException e) {
            reason = (hostId == null ? "TLS handshake failed: " : "TLS error: ") + e.getMessage();
        } catch (ProtocolException | BoundedLineReader.LineTooLongException e) {
            reason = e.getMessage();
        } catch (IOException e) {
            reason = closed.get() ? "closed" : "connection error: " + e.getMessage();
        } finally {
            close(reason);
        }
    }

    CompletableFuture<Answer> send(AgentCommand command, Duration timeout, RequestProgress progress) {
        String commandType = command.getClass().getSimpleName();
        PendingRequests.Registration registration = pending.register(commandType, timeout,
                () -> new AgentTimeoutException(hostId, commandType, timeout), progress);
        if (registration == null) {
            return CompletableFuture.failedFuture(AgentUnavailableException.closedBeforeSending(hostId, commandType));
        }
        try {
            write(new Request(registration.requestId(), timeout.toMillis(), command));
        } catch (IOException e) {
            close("cannot write to the agent: " + e.getMessage()); // fails this request with the rest
        } catch (RuntimeException e) {
            pending.fail(registration.requestId(), e); // e.g. over the size limit: this request only
        }
        return registration.future();
    }

    /** Closes the socket, reports the disconnect (if still the host's connection), fails in-flight requests. */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing the socket of {} failed", remoteAddress, e);
        }
        hosts.unregister(this, reason);
        pending.failAll(commandType -> AgentUnavailableException.lost(hostId, commandType));
        onClosed.accept(this);
        if (hostId != null) {
            LOG.info("Connection of host {} from {} closed: {}", hostId, remoteAddress, reason);
        } else {
            LOG.debug("Unauthenticated connection from {} closed: {}", remoteAddress, reason);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The authenticated host id; null before the welcome. */
    String hostId() {
        return hostId;
    }

    boolean isStopping() {
        return stopping.get();
    }

    /** @return true the first time only */
    boolean markStopping() {
        return stopping.compareAndSet(false, true);
    }

    String remoteAddress() {
        return remoteAddress;
    }

    Liveness liveness() {
        return liveness;
    }

    int inFlight() {
        return pending.size();
    }

    /** The connection's socket and input once TLS (if any) is settled, and the client certificate. */
    private record Stream(Socket socket, InputStream input, Optional<X509Certificate> peerCertificate) {
    }

    /**
     * With TLS configured, the first byte tells a TLS client from a plain one: TLS is completed here
     * (a client certificate is asked for but not required, since a bootstrapping agent has none);
     * plain TCP is served only when allowed.
     */
    private Stream secure() throws IOException {
        if (config.tls().isEmpty()) {
            return new Stream(socket, socket.getInputStream(), Optional.empty());
        }
        InputStream raw = socket.getInputStream();
        int first = raw.read();
        if (first < 0) {
            throw new ProtocolException("connection closed before the hello");
        }
        InputStream consumed = new ByteArrayInputStream(new byte[] {(byte) first});
        if (first != TLS_HANDSHAKE_RECORD) {
            if (!config.plainAllowed()) {
                synchronized (writeLock) {
                    out = new BufferedOutputStream(socket.getOutputStream());
                }
                throw reject(null, "this management server accepts agents only over TLS (plain TCP is off:"
                        + " see agent.plaintext.allowed)");
            }
            return new Stream(socket, new SequenceInputStream(consumed, raw), Optional.empty());
        }
        SSLSocket tls = (SSLSocket) config.tls().get().getSocketFactory().createSocket(socket, consumed, true);
        TlsContexts.onlyTls13(tls);
        tls.setWantClientAuth(true);
        tls.startHandshake();
        overTls = true;
        Optional<X509Certificate> certificate = Optional.empty();
        try {
            if (tls.getSession().getPeerCertificates()[0] instanceof X509Certificate x509) {
                certificate = Optional.of(x509);
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate: a bootstrapping agent
        }
        return new Stream(tls, tls.getInputStream(), certificate);
    }

    private void handshake(BoundedLineReader reader, Optional<X509Certificate> certificate) throws IOException {
        byte[] line = reader.readLine();
        if (line == null) {
            throw new ProtocolException("connection closed before the hello");
        }
        AgentMessage first;
        try {
            first = codec.decode(line);
        } catch (MalformedMessageException e) {
            throw reject(null, "malformed hello: " + e.getMessage());
        }
        if (first instanceof CertificateRequest request) {
            issueCertificate(request, certificate.isPresent());
            return;
        }
        if (!(first instanceof Hello hello)) {
            throw reject(null, "expected hello, got " + first.getClass().getSimpleName().toLowerCase());
        }
        Optional<String> id = authenticate(hello, certificate);
        if (id == null || id.isEmpty()) {
            throw reject(hello, certificate.isPresent() ? "unknown host certificate" : "invalid host credential");
        }
        hostId = id.get();
        liveness.heard();
        AgentConnection replaced;
        synchronized (writeLock) {
            // Registered before the welcome is written, under the lock every request takes: a caller
            // who learns the agent is welcome finds the host connected, and no request overtakes the welcome.
            replaced = hosts.register(this, hello);
            write(new Welcome(hostId, config.heartbeatInterval().toMillis()));
        }
        LOG.info("Agent {} ({}) connected from {} as host {}", hello.hostname(), hello.agentVersion(),
                remoteAddress, hostId);
        if (replaced != null) {
            replaced.close("replaced by a new connection from " + remoteAddress);
        }
    }

    /**
     * By certificate on a mutual-TLS connection; by token only on plain TCP: over TLS without a
     * certificate the token buys a certificate ({@link CertificateRequest}), never a session.
     */
    private Optional<String> authenticate(Hello hello, Optional<X509Certificate> certificate) throws ProtocolException {
        if (certificate.isEmpty() && config.tls().isPresent() && !(config.plainAllowed() && isPlain())) {
            throw reject(hello, "this agent has no certificate: it must first ask for one with its addHost"
                    + " credential (certificateRequest)");
        }
        try {
            return certificate.isPresent() ? authenticator.authenticate(certificate.get(), hello)
                    : authenticator.authenticate(hello.hostToken() == null ? "" : hello.hostToken(), hello);
        } catch (RuntimeException e) {
            LOG.error("Authenticating agent {} from {} failed", hello.hostname(), remoteAddress, e);
            throw reject(hello, "authentication failed on the management server");
        }
    }

    /** Answers a bootstrap with the host's first certificate, then the connection ends. */
    private void issueCertificate(CertificateRequest request, boolean hasCertificate) throws IOException {
        if (hasCertificate || isPlain()) {
            throw reject(null, hasCertificate ? "this agent already has a certificate"
                    : "certificates are issued over TLS only");
        }
        CertificateIssued issued;
        try {
            issued = bootstrap.issue(request);
        } catch (AgentRefusedException e) {
            throw reject(null, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Issuing a certificate to agent {} from {} failed", request.hostname(), remoteAddress, e);
            throw reject(null, "certificate issue failed on the management server");
        }
        write(issued);
        LOG.info("Issued host {} its certificate (agent {} from {})", issued.hostId(), request.hostname(),
                remoteAddress);
        throw new CertificateIssuedException();
    }

    private boolean isPlain() {
        return !overTls;
    }

    /** Ends a bootstrap connection after its one answer. */
    private static final class CertificateIssuedException extends ProtocolException {
        private static final long serialVersionUID = 1L;

        CertificateIssuedException() {
            super("certificate issued; the agent reconnects with it");
        }
    }

    /** Tells the agent why (best effort) and returns the exception that ends the connection. */
    private ProtocolException reject(Hello hello, String reason) {
        LOG.warn("Rejected agent {} from {}: {}", hello == null ? "?" : hello.hostname(), remoteAddress, reason);
        try {
            write(new Rejected(reason));
        } catch (IOException e) {
            LOG.debug("Could not tell {} it was rejected", remoteAddress, e);
        }
        return new ProtocolException("rejected: " + reason);
    }

    private void readUntilClosed(BoundedLineReader reader) throws IOException {
        byte[] line;
        while ((line = reader.readLine()) != null) {
            liveness.heard();
            if (isBlank(line)) {
                continue;
            }
            AgentMessage message;
            try {
                message = codec.decode(line);
            } catch (MalformedMessageException e) {
                onUnreadable(e);
                continue;
            }
            if (message instanceof Ping ping) {
                hosts.reportHeartbeat(this);
                write(new Pong(ping.sequence()));
            } else if (message instanceof Progress progress) {
                pending.progress(progress.requestId(), progress.done(), progress.total());
            } else if (message instanceof StoppingNotice notice) {
                hosts.reportStopping(this, "its agent's graceful stop began; running commands may answer for up to "
                        + notice.graceMillis() + " ms");
            } else if (message instanceof Response response && response.answer() instanceof StoppingAnswer refusal) {
                // An agent that sent no notice (or a command that crossed it on the wire): the host is stopping.
                hosts.reportStopping(this, "its agent refused request " + response.requestId() + " as stopping");
                // Not a verdict on the command (it never ran): the transport's kind of failure, so it may go elsewhere.
                if (!pending.fail(response.requestId(), AgentUnavailableException.stopping(hostId, refusal.details()))) {
                    LOG.debug("Host {} refused request {} too late (or it was never sent)", hostId, response.requestId());
                }
            } else if (message instanceof Response response) {
                if (!pending.complete(response.requestId(), response.answer())) {
                    LOG.debug("Host {} answered request {} too late (or it was never sent)", hostId,
                            response.requestId());
                }
            } else {
                throw new ProtocolException("unexpected " + message.getClass().getSimpleName().toLowerCase()
                        + " from the agent");
            }
        }
    }

    /** A newer agent may send what we do not know: fail only the request it answers, if any. */
    private void onUnreadable(MalformedMessageException e) {
        if (e.requestId().isPresent()) {
            long requestId = e.requestId().getAsLong();
            pending.fail(requestId, new AgentProtocolException(
                    "host " + hostId + " sent an unreadable answer to request " + requestId + ": " + e.getMessage()));
        } else {
            LOG.warn("Ignoring an unreadable message from host {}: {}", hostId, e.getMessage());
        }
    }

    private void write(AgentMessage message) throws IOException {
        byte[] line = codec.encode(message);
        synchronized (writeLock) {
            out.write(line);
            out.flush();
        }
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
