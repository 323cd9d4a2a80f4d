package io.rbdstack.agent.connect;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.protocol.MalformedMessageException;
import io.rbdstack.protocol.tls.TlsContexts;
import io.rbdstack.spi.agent.CertificateIssued;
import io.rbdstack.spi.agent.CertificateRequest;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.Ping;
import io.rbdstack.spi.agent.Pong;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.StoppingNotice;
import io.rbdstack.spi.agent.Welcome;
import java.io.IOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the connection: connects to the management server, introduces itself, keeps
 * the heartbeat, runs the commands it receives, and after any disconnect (or rejection, which an
 * administrator may fix) connects again with backoff until {@link #close()}. Its threads are
 * daemons: {@link #start()} does not keep the JVM alive.
 */
public final class ManagementServerClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServerClient.class);

    private final ClientConfig config;
    private final Supplier<Hello> hello;
    private final ConnectionListener listener;
    private final MessageCodec codec;
    private final CommandDispatcher dispatcher;
    private final ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(CommandDispatcher.daemonThreads("agent-heartbeat"));
    private final AtomicBoolean closed = new AtomicBoolean();
    /** How long a stop's notice waits for a handshake under way to end, at most. */
    private static final Duration HANDSHAKE_WAIT = Duration.ofSeconds(1);
    /** How long a stop that ended before its notice went out waits for it, at most (a handshake's wait and more). */
    private static final Duration NOTICE_WAIT = HANDSHAKE_WAIT.plusMillis(500);
    private volatile boolean stopping; // a graceful stop began: a lost connection is not made again
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile ServerSession session;
    private volatile String hostId; // while connected
    /** Notified when a handshake ends, either way (hostId set, or the session gone). */
    private final Object handshakeEnded = new Object();
    private Thread connectionThread;

    /**
     * @param codec    knows the commands and answers the agent's modules contributed
     * @param hello    builds the hello for each attempt (host facts may have changed since the last)
     * @param handler  runs the commands
     * @param listener hears about connects and disconnects
     */
    public ManagementServerClient(ClientConfig config, MessageCodec codec, Supplier<Hello> hello,
            CommandHandler handler, ConnectionListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.hello = Objects.requireNonNull(hello, "hello");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.dispatcher = new CommandDispatcher(Objects.requireNonNull(handler, "handler"), config.workerThreads());
    }

    public synchronized void start() {
        if (connectionThread != null || closed.get()) {
            throw new IllegalStateException("already started or closed");
        }
        connectionThread = CommandDispatcher.daemonThreads("agent-connection").newThread(this::connectUntilClosed);
        connectionThread.start();
    }

    /** True while the server has welcomed this agent and the connection is up. */
    public boolean isConnected() {
        return hostId != null;
    }

    /** The host id of the current connection. */
    public Optional<String> hostId() {
        return Optional.ofNullable(hostId);
    }

    /**
     * The graceful stop: while the connection stays up, new commands are refused unrun (the server sends them to
     * another host), transfers are interrupted and answered at once, and the other running commands get up to
     * {@code grace} to finish and send their answers; then as {@link #close()}.
     */
    public void stop(Duration grace) {
        if (closed.get()) {
            return;
        }
        stopping = true;
        dispatcher.refuseNew(); // before the notice: whatever arrives after it is refused, as the notice says
        // On a thread of its own: a send blocked on a full socket (a wedged server) must not hold up the stop; the
        // close below ends such a send.
        Thread notice = new Thread(() -> tellTheServerWeStop(grace), "agent-stopping-notice");
        notice.setDaemon(true);
        notice.start();
        dispatcher.stop(grace);
        try {
            notice.join(NOTICE_WAIT.toMillis()); // a quick stop still lets the notice out first, within bounds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /**
     * The server stops choosing this host at once, rather than after a refusal (a command already on the wire
     * is still answered {@code stopping}). Best effort: without a connection there is no one to tell.
     */
    private void tellTheServerWeStop(Duration grace) {
        ServerSession current;
        try {
            current = welcomedSession(HANDSHAKE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (current == null) {
            return;
        }
        try {
            current.send(new StoppingNotice(grace.toMillis()));
            LOG.info("Told the management server that this agent is stopping");
        } catch (IOException e) {
            LOG.warn("Could not tell the management server that this agent is stopping: {}", e.getMessage());
        }
    }

    /**
     * The welcomed session, or null if there is none. A handshake under way is waited for, up to {@code limit}: the
     * server counts the host Up as soon as it sends its welcome, so a stop that came just before the agent read it
     * must still be told.
     */
    private ServerSession welcomedSession(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (handshakeEnded) {
            while (session != null && hostId == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(handshakeEnded, left);
            }
            return hostId == null ? null : session;
        }
    }

    private void handshakeEnded() {
        synchronized (handshakeEnded) {
            handshakeEnded.notifyAll();
        }
    }

    /** A second TERM/INT during {@link #stop}: it waits no longer for running commands. */
    public void hurry() {
        dispatcher.hurry();
    }

    /** Disconnects and stops reconnecting; commands still running are interrupted and their answers dropped. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        ServerSession current = session;
        if (current != null) {
            current.close();
        }
        Thread thread;
        synchronized (this) {
            thread = connectionThread;
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heartbeats.shutdownNow();
        dispatcher.close();
    }

    private void connectUntilClosed() {
        int failedAttempts = 0;
        while (!closed.get() && !stopping) {
            String reason;
            try {
                reason = connectOnce();
                failedAttempts = 0; // the server welcomed us: start over from the shortest delay
            } catch (RejectedByServerException e) {
                reason = "the management server rejected this agent: " + e.getMessage();
            } catch (IOException e) {
                reason = "cannot connect to the management server at " + config.host() + ":" + config.port()
                        + ": " + e;
            } catch (RuntimeException e) {
                if (closed.get()) {
                    break; // e.g. the heartbeat executor was shut down under us: expected while closing
                }
                reason = "unexpected error: " + e;
                LOG.error("Connection attempt failed", e);
            }
            if (closed.get() || stopping) {
                break;
            }
            Duration delay = config.backoff().delay(failedAttempts++);
            LOG.warn("{}; connecting again in {} ms", reason, delay.toMillis());
            String finalReason = reason;
            notifyListener("onRetryScheduled", () -> listener.onRetryScheduled(finalReason, delay));
            try {
                if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info("Management server client stopped");
    }

    /**
     * One connection, from connect to disconnect.
     *
     * @return why the welcomed connection ended
     * @throws IOException or RejectedByServerException if it never got a welcome
     */
    private String connectOnce() throws IOException, RejectedByServerException {
        LOG.debug("Connecting to the management server at {}:{}", config.host(), config.port());
        if (config.certificates().isPresent() && !config.certificates().get().hasCertificate()) {
            bootstrap(config.certificates().get());
        }
        try (ServerSession current = ServerSession.open(config, codec, security())) {
            session = current;
            // close() may have run before it could see this session; a stop that began before it was set found
            // no handshake to wait for, so none may start (the server would count the host Up, untold).
            if (closed.get() || stopping) {
                return closed.get() ? "client closed" : "the agent is stopping";
            }
            // With a certificate the credential stays home: the certificate says who the host is.
            Hello message = config.certificates().isPresent() ? hello.get().withoutToken() : hello.get();
            LOG.debug("Sending {}", message);
            Welcome welcome = current.handshake(message);
            hostId = welcome.hostId();
            handshakeEnded();
            ScheduledFuture<?> pings = startPinging(current, welcome.heartbeatInterval());
            String reason;
            try {
                LOG.info("Connected to the management server at {}:{} as host {}", config.host(), config.port(),
                        welcome.hostId());
                notifyListener("onConnected", () -> listener.onConnected(welcome.hostId()));
                reason = current.readUntilClosed(welcome.heartbeatInterval().multipliedBy(6), messageHandler(current));
            } finally {
                pings.cancel(false);
                hostId = null;
                dispatcher.cancel(current);
            }
            LOG.warn("Disconnected from the management server: {}", reason);
            notifyListener("onDisconnected", () -> listener.onDisconnected(reason));
            return reason;
        } finally {
            session = null;
            handshakeEnded();
        }
    }

    /** How the next connection is secured. */
    private ServerSession.Security security() throws IOException {
        if (config.certificates().isPresent()) {
            return new ServerSession.Security(Optional.of(config.certificates().get().certifiedContext()),
                    TlsContexts.MANAGEMENT_SERVER_NAME);
        }
        return config.tls().map(context -> new ServerSession.Security(Optional.of(context), config.host()))
                .orElseGet(ServerSession.Security::plain);
    }

    /**
     * The first connection of a host: over TLS, trusting the CA as {@link BootstrapTrust} says, the
     * addHost credential buys a certificate for a key made here; the server then closes, and the
     * caller connects again with the certificate.
     */
    private void bootstrap(AgentCertificates certificates) throws IOException, RejectedByServerException {
        LOG.info("This host has no certificate yet: asking the management server for one with its addHost credential");
        Hello introduction = hello.get();
        try (ServerSession current = ServerSession.open(config, codec, new ServerSession.Security(
                Optional.of(certificates.bootstrapContext()), TlsContexts.MANAGEMENT_SERVER_NAME))) {
            session = current;
            if (closed.get()) {
                return;
            }
            CertificateIssued issued = current.requestCertificate(new CertificateRequest(introduction.hostToken(),
                    introduction.hostname(), certificates.newRequest(introduction.hostname())));
            certificates.storeBootstrap(issued, current.serverChain());
            LOG.info("Got the certificate of host {}", issued.hostId());
        } finally {
            session = null;
            handshakeEnded();
        }
    }

    private ScheduledFuture<?> startPinging(ServerSession current, Duration interval) {
        AtomicLong sequence = new AtomicLong();
        return heartbeats.scheduleAtFixedRate(() -> {
            try {
                current.send(new Ping(sequence.incrementAndGet()));
            } catch (IOException e) {
                current.close(); // the reader notices and reports the disconnect
            }
        }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private ServerSession.MessageHandler messageHandler(ServerSession current) {
        return new ServerSession.MessageHandler() {
            @Override
            public void onMessage(AgentMessage message) throws ProtocolException {
                if (message instanceof Request request) {
                    dispatcher.dispatch(request, current);
                } else if (message instanceof Pong pong) {
                    LOG.trace("Pong {}", pong.sequence());
                } else {
                    throw new ProtocolException("unexpected " + message.getClass().getSimpleName().toLowerCase()
                            + " from the management server");
                }
            }

            @Override
            public void onUnreadable(MalformedMessageException e) {
                // A newer server may send a command we do not know: fail that request at once
                // rather than let it time out.
                if (e.requestId().isEmpty()) {
                    LOG.warn("Ignoring an unreadable message from the management server: {}", e.getMessage());
                    return;
                }
                long requestId = e.requestId().getAsLong();
                LOG.warn("Cannot read request {}: {}", requestId, e.getMessage());
                try {
                    current.send(new Response(requestId,
                            GenericAnswer.failure("the agent cannot read the request: " + e.getMessage())));
                } catch (IOException io) {
                    current.close();
                }
            }
        };
    }

    private static void notifyListener(String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Connection listener failed in {}", event, e);
        }
    }
}
