package io.rbdstack.server.agent;

import io.rbdstack.protocol.MessageCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts agent connections (agents connect to the management server, as CloudStack's do on port
 * 8250). One reader thread per connection; {@link #connections()} sends commands to them.
 */
public final class AgentListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentListener.class);

    private final ListenerConfig config;
    private final HostAuthenticator authenticator;
    private final CertificateBootstrap bootstrap;
    private final OrderedStatusDispatcher status;
    private final ConnectedHosts hosts;
    private final MessageCodec codec;
    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService completions;
    private final Set<AgentConnection> open = new HashSet<>(); // every socket, authenticated or not; guarded by itself
    private boolean closed; // guarded by open
    private long lastCapWarning; // accept thread only
    private long refusedOverCap; // accept thread only
    private ServerSocket serverSocket;
    private Thread acceptThread;

    /** A listener that issues no certificates (plain-TCP agents, or agents that already have theirs). */
    public AgentListener(ListenerConfig config, MessageCodec codec, HostAuthenticator authenticator,
                         HostStatusListener statusListener) {
        this(config, codec, authenticator, CertificateBootstrap.NONE, statusListener);
    }

    /** @param codec knows every command and answer the server's modules (plugins included) contributed */
    public AgentListener(ListenerConfig config, MessageCodec codec, HostAuthenticator authenticator,
                         CertificateBootstrap bootstrap, HostStatusListener statusListener) {
        this.config = Objects.requireNonNull(config, "config");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.status = new OrderedStatusDispatcher(Objects.requireNonNull(statusListener, "statusListener"));
        this.hosts = new ConnectedHosts(status);
        this.timers = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("agent-timers"));
        this.timers.setRemoveOnCancelPolicy(true); // most request timeouts are cancelled: don't keep them queued
        this.completions = Executors.newCachedThreadPool(new NamedThreadFactory("agent-answers"));
    }

    /** Binds and starts accepting. */
    public synchronized void start() throws IOException {
        if (serverSocket != null || isClosed()) {
            throw new IllegalStateException("already started or closed");
        }
        // Plain sockets even with TLS: each connection's first byte tells TLS from plain TCP (AgentConnection).
        ServerSocket socket = ServerSocketFactory.getDefault().createServerSocket();
        try {
            socket.setReuseAddress(true); // a restarted server must get its port back at once
            socket.bind(new InetSocketAddress(config.bindAddress(), config.port()));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        serverSocket = socket;
        Duration period = HeartbeatMonitor.period(config);
        timers.scheduleAtFixedRate(new HeartbeatMonitor(hosts, config),
                period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        acceptThread = new NamedThreadFactory("agent-accept").newThread(this::acceptUntilClosed);
        acceptThread.start();
        LOG.info("Listening for agents on {}:{} ({})", config.bindAddress(), port(),
                config.tls().isEmpty() ? "plain TCP" : config.plainAllowed() ? "mutual TLS and plain TCP" : "mutual TLS");
    }

    /** The bound port (useful when the configured port is 0). */
    public synchronized int port() {
        if (serverSocket == null) {
            throw new IllegalStateException("not started");
        }
        return serverSocket.getLocalPort();
    }

    public AgentConnections connections() {
        return hosts;
    }

    /** Stops accepting, closes every connection (failing its in-flight requests) and reports the disconnects. */
    @Override
    public void close() {
        List<AgentConnection> toClose;
        synchronized (open) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(open);
        }
        ServerSocket socket;
        Thread accepter;
        synchronized (this) {
            socket = serverSocket;
            accepter = acceptThread;
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("Closing the agent server socket failed", e);
            }
        }
        for (AgentConnection connection : toClose) {
            connection.close("management server shutting down");
        }
        timers.shutdownNow();
        status.close();
        completions.shutdown(); // the failures queued by the closes above still run
        try {
            completions.awaitTermination(5, TimeUnit.SECONDS);
            if (accepter != null) {
                accepter.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Agent listener closed");
    }

    private void acceptUntilClosed() {
        while (true) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (isClosed()) {
                    return;
                }
                LOG.warn("Accepting an agent connection failed", e);
                pause(); // e.g. out of file descriptors: don't spin
                continue;
            }
            AgentConnection connection = new AgentConnection(socket, config, authenticator, bootstrap, hosts, codec,
                    new PendingRequests(timers, completions), this::forget);
            synchronized (open) {
                if (closed) {
                    closeQuietly(socket);
                    return;
                }
                if (unauthenticated() >= config.maxUnauthenticated()) {
                    closeQuietly(socket); // a flood of idle or slow handshakes must not pin threads and sockets
                    warnOverCap(socket);
                    continue;
                }
                open.add(connection);
            }
            try {
                socket.setTcpNoDelay(true); // small messages: don't wait to coalesce them
                socket.setKeepAlive(true);
            } catch (IOException e) {
                LOG.debug("Could not set socket options for {}", connection.remoteAddress(), e);
            }
            Thread reader = new Thread(connection, "agent-connection-" + connection.remoteAddress());
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Open connections that have no host yet; called under the {@code open} lock. */
    private long unauthenticated() {
        return open.stream().filter(connection -> connection.hostId() == null).count();
    }

    private void warnOverCap(Socket socket) {
        long now = System.nanoTime();
        refusedOverCap++;
        if (now - lastCapWarning > TimeUnit.SECONDS.toNanos(10) || lastCapWarning == 0) {
            LOG.warn("Closed {} agent connection(s) (latest from {}): already {} connections waiting to authenticate"
                    + " (agent.max.unauthenticated)", refusedOverCap, socket.getRemoteSocketAddress(),
                    config.maxUnauthenticated());
            lastCapWarning = now;
            refusedOverCap = 0;
        }
    }

    private void forget(AgentConnection connection) {
        synchronized (open) {
            open.remove(connection);
        }
    }

    private boolean isClosed() {
        synchronized (open) {
            return closed;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing a socket failed", e);
        }
    }
}
