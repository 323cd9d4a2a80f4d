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
import io.rbdstack.spi.agent.Welcome;
import java.io.BufferedOutputStream;
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

    private final Socket socket;
    private final ListenerConfig config;
    private final HostAuthenticator authenticator;
    private final ConnectedHosts hosts;
    private final MessageCodec codec;
    private final PendingRequests pending;
    private final Consumer<AgentConnection> onClosed;
    private final String remoteAddress;
    private final Liveness liveness = new Liveness();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object writeLock = new Object();
    private volatile String hostId;
    private OutputStream out; // guarded by writeLock

    AgentConnection(Socket socket, ListenerConfig config, HostAuthenticator authenticator,
            ConnectedHosts hosts, MessageCodec codec, PendingRequests pending,
            Consumer<AgentConnection> onClosed) {
        this.socket = socket;
        this.config = config;
        this.authenticator = authenticator;
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
            if (socket instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            synchronized (writeLock) {
                out = new BufferedOutputStream(socket.getOutputStream());
            }
            BoundedLineReader reader = new BoundedLineReader(socket.getInputStream(), MAX_HELLO_BYTES);
            handshake(reader);
            socket.setSoTimeout(0); // from now on the heartbeat monitor judges silence
            reader.maxLineBytes(AgentMessage.MAX_LINE_BYTES);
            readUntilClosed(reader);
        } catch (SocketTimeoutException e) {
            reason = "no hello within " + config.handshakeTimeout().toMillis() + " ms";
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
            return CompletableFuture.failedFuture(AgentUnavailableException.lost(hostId, commandType));
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

    String remoteAddress() {
        return remoteAddress;
    }

    Liveness liveness() {
        return liveness;
    }

    int inFlight() {
        return pending.size();
    }

    private void handshake(BoundedLineReader reader) throws IOException {
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
        if (!(first instanceof Hello hello)) {
            throw reject(null, "expected hello, got " + first.getClass().getSimpleName().toLowerCase());
        }
        Optional<String> id;
        try {
            id = authenticator.authenticate(hello.hostToken(), hello);
        } catch (RuntimeException e) {
            LOG.error("Authenticating agent {} from {} failed", hello.hostname(), remoteAddress, e);
            throw reject(hello, "authentication failed on the management server");
        }
        if (id == null || id.isEmpty()) {
            throw reject(hello, "invalid host credential");
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
