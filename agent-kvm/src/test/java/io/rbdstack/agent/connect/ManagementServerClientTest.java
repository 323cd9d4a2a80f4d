package io.rbdstack.agent.connect;

import io.rbdstack.testing.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.AgentListener;
import io.rbdstack.server.agent.AgentTimeoutException;
import io.rbdstack.server.agent.AgentUnavailableException;
import io.rbdstack.server.agent.HostAuthenticator;
import io.rbdstack.server.agent.HostStatusListener;
import io.rbdstack.server.agent.ListenerConfig;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent client against the real management-server listener, over loopback. */
class ManagementServerClientTest {

    private static final String TOKEN = "host-1-token-4f9a2c";
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final MessageCodec CODEC = MessageCodec.load(ManagementServerClientTest.class.getClassLoader());
    private static final HostInfo HOST_INFO = new HostInfo(4, 2400, 8L << 30, "9.0.0", "7.2.0", true);
    private static final ReconnectBackoff FAST_BACKOFF =
            new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400), 0);

    @TempDir
    Path agentDirectory;
    private final TestCa tls = new TestCa();

    private final StatusEvents status = new StatusEvents();
    private final RecordingConnectionListener connection = new RecordingConnectionListener();
    private final AtomicBoolean tokenValid = new AtomicBoolean(true);
    /** When set, the server holds each hello (before welcoming it) until the latch opens. */
    private volatile CountDownLatch helloHeldUntil;
    private final AtomicBoolean helloHeld = new AtomicBoolean();
    private final HostAuthenticator authenticator = new HostAuthenticator() {
        @Override
        public Optional<String> authenticate(String token, Hello hello) {
            CountDownLatch gate = helloHeldUntil;
            if (gate != null) {
                helloHeld.set(true);
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return tokenValid.get() && token.equals(TOKEN) ? Optional.of("host-1") : Optional.empty();
        }

        @Override
        public Optional<String> authenticate(java.security.cert.X509Certificate certificate, Hello hello) {
            return tls.hostOf(certificate);
        }
    };
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private CommandHandler handler = CommandHandlerRegistry.of(BasicCommandHandlers.handlers("kvm1", () -> HOST_INFO));

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ListenerConfig listenerConfig(int port) {
        return ListenerConfig.plain("127.0.0.1", port).withHeartbeatInterval(INTERVAL);
    }

    private AgentListener listen(ListenerConfig config) throws IOException {
        AgentListener listener = new AgentListener(config, CODEC, authenticator, tls.bootstrap(TOKEN, "host-1"), status);
        toClose.add(listener);
        listener.start();
        return listener;
    }

    private ManagementServerClient client(ClientConfig config) {
        ManagementServerClient client = new ManagementServerClient(config, CODEC,
                () -> new Hello(TOKEN, "kvm1", "0.1.0-test", HOST_INFO), handler, connection);
        toClose.add(client);
        client.start();
        return client;
    }

    private ManagementServerClient connectedClient(AgentListener listener) {
        ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port()).withBackoff(FAST_BACKOFF));
        Await.until("client connected", client::isConnected);
        return client;
    }

    @Test
    void connectsAndIsWelcomedAsItsHost() throws Exception {
        AgentListener listener = listen(listenerConfig(0));
        ManagementServerClient client = connectedClient(listener);

        assertEquals(Optional.of("host-1"), client.hostId());
        Await.until("onConnected", () -> connection.connected().equals(List.of("host-1")));
        Await.until("server sees the host", () -> status.has("connected host-1 kvm1"));
        assertTrue(listener.connections().isConnected("host-1"));
    }

    @Test
    void echoAndReadyRoundTrips() throws Exception {
        AgentListener listener = listen(listenerConfig(0));
        connectedClient(listener);
        AgentConnections agents = listener.connections();

        assertEquals(EchoAnswer.of("hello agent"),
                agents.send("host-1", new EchoCommand("hello agent", 0), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
        assertEquals(ReadyAnswer.ready("kvm1", HOST_INFO),
                agents.send("host-1", new ReadyCommand(), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aGracefulStopTellsTheServerAtOnceSoNoNewCommandIsSentWhileARunningOneFinishes() throws Exception {
        AgentListener listener = listen(listenerConfig(0));
        ManagementServerClient client = connectedClient(listener);
        AgentConnections agents = listener.connections();
        CompletableFuture<Answer> running = agents.send("host-1", new EchoCommand("finishing", 1_500),
                Duration.ofSeconds(10));
        Thread.sleep(200); // under way on the agent

        Thread stopper = new Thread(() -> client.stop(Duration.ofSeconds(5)), "stopper");
        stopper.start();
        Await.until("the server knows the host is stopping", () -> agents.isStopping("host-1"));

        assertFalse(running.isDone(), "known from the notice, before any answer");
        ExecutionException unsent = assertThrows(ExecutionException.class, () -> agents.send("host-1",
                new EchoCommand("new", 0), Duration.ofSeconds(5)).get(1, TimeUnit.SECONDS));
        assertEquals("host host-1 is stopping and takes no new commands: EchoCommand was not sent",
                assertInstanceOf(AgentUnavailableException.class, unsent.getCause()).getMessage());
        assertEquals(EchoAnswer.of("finishing"), running.get(5, TimeUnit.SECONDS), "the running command answered");
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "the stop ended");
        Await.until("the connection closed", () -> !agents.isConnected("host-1"));
        assertFalse(agents.isStopping("host-1"), "its end ends the stop");
    }

    @Test
    void anAgentStoppedWhileTheServerWelcomesItStillTellsTheServerItIsStopping() throws Exception {
        CountDownLatch welcome = new CountDownLatch(1);
        helloHeldUntil = welcome;
        AgentListener listener = listen(listenerConfig(0));
        try (LogCapture logs = new LogCapture()) {
            ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port())
                    .withBackoff(FAST_BACKOFF));
            Await.until("the server holds the agent's hello", helloHeld::get);

            Thread stopper = new Thread(() -> client.stop(Duration.ofSeconds(5)), "stopper");
            try {
                stopper.start();
                Thread.sleep(200); // the stop's notice finds the handshake under way (it gave up at once before)
            } finally {
                welcome.countDown(); // the server counts the host Up and welcomes it
            }

            Await.until("the server heard the agent is stopping", () -> logs.lines().stream()
                    .anyMatch(l -> l.contains("Host host-1 is stopping (its agent's graceful stop began")));
            stopper.join(10_000);
            assertFalse(stopper.isAlive(), "the stop ended");
            Await.until("the connection closed", () -> status.has("disconnected host-1"));
        }
    }

    @Test
    void aHandlerExceptionReachesTheServerAsAFailedAnswer() throws Exception {
        handler = command -> {
            throw new IllegalStateException("storage pool rbd2 is not defined");
        };
        AgentListener listener = listen(listenerConfig(0));
        connectedClient(listener);

        Answer answer = listener.connections().send("host-1", new ReadyCommand(), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);

        assertFalse(answer.success());
        assertTrue(answer.details().startsWith("the agent failed to run ReadyCommand (incident "), answer.details());
    }

    @Test
    void slowCommandsDoNotHoldUpHeartbeats() throws Exception {
        // A wider interval than the other tests: this one asserts that nothing goes overdue, which a
        // loaded 2-core build machine must not turn into a flake.
        Duration interval = Duration.ofMillis(250);
        AgentListener listener = listen(listenerConfig(0).withHeartbeatInterval(interval));
        connectedClient(listener);

        // Each runs for 8 heartbeat intervals, past the 6 after which a silent host is dropped.
        long delayMillis = interval.multipliedBy(8).toMillis();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(listener.connections().send("host-1", new EchoCommand("slow " + i, delayMillis),
                    Duration.ofSeconds(10)));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(EchoAnswer.of("slow " + i), answers.get(i).get(10, TimeUnit.SECONDS));
        }

        assertTrue(status.count("heartbeat host-1") >= 4, status.events().toString());
        assertFalse(status.has("overdue host-1"), status.events().toString());
        assertFalse(status.has("disconnected host-1"), status.events().toString());
        assertEquals(List.of("host-1"), connection.connected());
    }

    @Test
    void aCommandThatOutlivesItsTimeoutFailsWithoutDisconnecting() throws Exception {
        AgentListener listener = listen(listenerConfig(0));
        ManagementServerClient client = connectedClient(listener);

        CompletableFuture<Answer> answer =
                listener.connections().send("host-1", new EchoCommand("late", 1500), Duration.ofMillis(200));

        assertEquals("EchoCommand to host host-1 timed out after 200 ms",
                failure(answer, AgentTimeoutException.class).getMessage());
        assertEquals(EchoAnswer.of("still here"), listener.connections()
                .send("host-1", new EchoCommand("still here", 0), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
        assertTrue(client.isConnected());
    }

    @Test
    void requestsInFlightFailWhenTheAgentGoesAway() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CommandHandler basic = handler;
        handler = command -> {
            running.countDown();
            return basic.handle(command);
        };
        AgentListener listener = listen(listenerConfig(0));
        ManagementServerClient client = connectedClient(listener);
        CompletableFuture<Answer> answer =
                listener.connections().send("host-1", new EchoCommand("never", 30_000), Duration.ofSeconds(60));
        assertTrue(running.await(10, TimeUnit.SECONDS));

        client.close();

        assertEquals("connection to host host-1 lost while running EchoCommand",
                failure(answer, AgentUnavailableException.class).getMessage());
        Await.until("server sees the disconnect", () -> status.has("disconnected host-1"));
        assertFalse(client.isConnected());
    }

    @Test
    void aTransferOfALostConnectionIsInterruptedAndTheNextConnectionServes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CommandHandler basic = handler;
        handler = command -> {
            if (command instanceof io.rbdstack.spi.agent.store.VerifyBackupCommand) {
                running.countDown();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return GenericAnswer.failure("interrupted");
            }
            return basic.handle(command);
        };
        AgentListener listener = listen(listenerConfig(0));
        connectedClient(listener);
        CompletableFuture<Answer> answer =
                listener.connections().send("host-1", new io.rbdstack.spi.agent.store.VerifyBackupCommand(
                        "file:///nowhere", "backup", 1, "00", null, "snap"), Duration.ofSeconds(60));
        assertTrue(running.await(10, TimeUnit.SECONDS));

        listener.connections().disconnect("host-1", "test");

        failure(answer, AgentUnavailableException.class);
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the lost connection's transfer was interrupted");
        Await.until("client reconnected", () -> connection.connected().size() == 2);
        assertEquals(EchoAnswer.of("after"), listener.connections()
                .send("host-1", new EchoCommand("after", 0), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void reconnectsWithBackoffAfterTheServerRestarts() throws Exception {
        AgentListener first = listen(listenerConfig(0));
        int port = first.port();
        ManagementServerClient client = connectedClient(first);

        first.close();
        Await.until("client notices", () -> !client.isConnected());
        Await.until("four retries", () -> connection.retries().size() >= 4);
        AgentListener second = listen(listenerConfig(port));

        Await.until("client reconnected", client::isConnected);
        Await.until("second onConnected", () -> connection.connected().size() == 2);
        Await.until("the new server sees the host", () -> second.connections().isConnected("host-1"));
        assertEquals(List.of(50L, 100L, 200L, 400L), connection.retryDelaysMillis().subList(0, 4));
        assertEquals(1, connection.disconnected().size());
        assertTrue(connection.retries().get(1).reason().startsWith(
                "cannot connect to the management server at 127.0.0.1:" + port), connection.retries().get(1).reason());
    }

    @Test
    void aRejectedAgentKeepsTryingWithBackoffUntilItsTokenIsAccepted() throws Exception {
        tokenValid.set(false);
        AgentListener listener = listen(listenerConfig(0));
        ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port()).withBackoff(FAST_BACKOFF));

        Await.until("three rejections", () -> connection.retries().size() >= 3);
        assertEquals(List.of(50L, 100L, 200L), connection.retryDelaysMillis().subList(0, 3));
        assertEquals("the management server rejected this agent: invalid host credential",
                connection.retries().get(0).reason());
        assertFalse(client.isConnected());

        tokenValid.set(true); // the administrator fixed the host's credential
        Await.until("client connected", client::isConnected);
    }

    @Test
    void bootstrapsWithItsTokenThenConnectsOverMutualTlsWithItsCertificate() throws Exception {
        AgentListener listener = listen(listenerConfig(0).withTls(tls.serverContext()));
        AgentCertificates certificates = new AgentCertificates(agentDirectory.resolve("tls"), Optional.of(tls.fingerprint()));
        ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port())
                .withCertificates(certificates).withBackoff(FAST_BACKOFF));
        Await.until("client connected over TLS", client::isConnected);

        assertTrue(certificates.hasCertificate());
        for (String file : List.of(AgentCertificates.HOST_FILE, AgentCertificates.CA_FILE)) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(agentDirectory.resolve("tls").resolve(file))), file);
        }
        assertEquals(EchoAnswer.of("over tls"), listener.connections()
                .send("host-1", new EchoCommand("over tls", 0), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
        // Later connections use the certificate (the token is spent: a second bootstrap would be refused).
        listener.connections().disconnect("host-1", "test");
        Await.until("client reconnected with its certificate", () -> connection.connected().size() == 2);
        assertTrue(connection.retries().stream().noneMatch(retry -> retry.reason().contains("rejected")),
                connection.retries().toString());
        listener.close();
        Await.until("client notices the server closing", () -> !client.isConnected());
    }

    @Test
    void aServerOfAnotherCaIsRefused() throws Exception {
        AgentListener listener = listen(listenerConfig(0).withTls(new TestCa().serverContext()));
        AgentCertificates pinned = new AgentCertificates(agentDirectory.resolve("tls"), Optional.of(tls.fingerprint()));
        ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port())
                .withCertificates(pinned).withBackoff(FAST_BACKOFF));

        Await.until("two failed attempts", () -> connection.retries().size() >= 2);
        assertTrue(connection.retries().get(0).reason().contains("SSLHandshakeException"),
                connection.retries().get(0).reason());
        assertFalse(client.isConnected());
        assertFalse(pinned.hasCertificate(), "no certificate from a CA other than the fingerprinted one");
        assertFalse(status.has("connected"));
    }

    @Test
    void aServerCertificateOutsideTheTrustStoreIsRefused() throws Exception {
        AgentListener listener = listen(listenerConfig(0).withTls(tls.serverContext()));
        SSLContext trustsOnlyTheJdkCertificateAuthorities = SSLContext.getDefault();
        ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port())
                .withTls(trustsOnlyTheJdkCertificateAuthorities).withBackoff(FAST_BACKOFF));

        Await.until("two failed attempts", () -> connection.retries().size() >= 2);
        assertTrue(connection.retries().get(0).reason().contains("SSLHandshakeException"),
                connection.retries().get(0).reason());
        assertFalse(client.isConnected());
        assertFalse(status.has("connected"));
    }

    @Test
    void aPlainAgentIsToldTheTlsOnlyPortWantsTls() throws Exception {
        AgentListener listener = listen(listenerConfig(0).withTls(tls.serverContext()));
        client(ClientConfig.plain("127.0.0.1", listener.port()).withBackoff(FAST_BACKOFF));

        Await.until("a rejection", () -> !connection.retries().isEmpty());
        assertTrue(connection.retries().get(0).reason().contains("accepts agents only over TLS"),
                connection.retries().get(0).reason());
        assertFalse(status.has("connected"));
    }

    @Test
    void aRevokedCertificateIsRefusedAtTheHandshake() throws Exception {
        AgentListener listener = listen(listenerConfig(0).withTls(tls.serverContext()));
        AgentCertificates certificates = new AgentCertificates(agentDirectory.resolve("tls"), Optional.empty());
        ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port())
                .withCertificates(certificates).withBackoff(FAST_BACKOFF));
        Await.until("client connected (trust on first use)", client::isConnected);
        java.security.cert.X509Certificate mine = io.rbdstack.protocol.tls.Pem.keyAndChain(java.nio.file.Files.readString(
                agentDirectory.resolve("tls").resolve(AgentCertificates.HOST_FILE))).chain().get(0);

        tls.revoked.add(io.rbdstack.server.ca.CertificateAuthority.serialText(mine));
        int retries = connection.retries().size();
        listener.connections().disconnect("host-1", "test");
        Await.until("two refused reconnects", () -> connection.retries().size() >= retries + 2);
        assertFalse(client.isConnected());
    }

    @Test
    void aServerThatFallsSilentIsLeftAndRetried() throws Exception {
        try (FakeManagementServer server = new FakeManagementServer()) {
            client(ClientConfig.plain("127.0.0.1", server.port()).withBackoff(FAST_BACKOFF));
            server.accept();
            assertTrue(server.readLineSkippingPings().startsWith("{\"type\":\"hello\""));
            server.writeLine("{\"type\":\"welcome\",\"hostId\":\"host-1\",\"heartbeatIntervalMillis\":100}");

            // This server never answers a ping: after 6 intervals the client gives up and reconnects.
            assertTrue(server.agentClosed());
            Await.until("disconnect reported", () -> !connection.disconnected().isEmpty());
            assertEquals("no message from the management server for 600 ms", connection.disconnected().get(0));
            server.accept();
            assertTrue(server.readLineSkippingPings().startsWith("{\"type\":\"hello\""));
        }
    }

    @Test
    void aCommandTheAgentDoesNotKnowIsAnsweredWithAFailure() throws Exception {
        try (FakeManagementServer server = new FakeManagementServer()) {
            client(ClientConfig.plain("127.0.0.1", server.port()).withBackoff(FAST_BACKOFF));
            server.accept();
            server.readLineSkippingPings();
            server.writeLine("{\"type\":\"welcome\",\"hostId\":\"host-1\",\"heartbeatIntervalMillis\":60000}");

            server.writeLine("{\"type\":\"request\",\"requestId\":5,\"timeoutMillis\":1000,"
                    + "\"command\":{\"command\":\"fromTheFuture\",\"size\":1}}");

            assertEquals("{\"type\":\"response\",\"requestId\":5,\"answer\":{\"answer\":\"generic\",\"success\":false,"
                    + "\"details\":\"the agent cannot read the request: unknown AgentCommand type 'fromTheFuture'\"}}",
                    server.readLineSkippingPings());
        }
    }

    @Test
    void theTokenIsNeverLogged() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            tokenValid.set(false);
            AgentListener listener = listen(listenerConfig(0));
            ManagementServerClient client = client(ClientConfig.plain("127.0.0.1", listener.port()).withBackoff(FAST_BACKOFF));
            Await.until("a rejection", () -> !connection.retries().isEmpty());
            tokenValid.set(true);
            Await.until("client connected", client::isConnected);
            listener.connections().send("host-1", new EchoCommand("x", 0), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            client.close();
            Await.until("server sees the disconnect", () -> status.has("disconnected host-1"));

            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("Sending Hello[hostToken=******")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("rejected this agent")), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.contains(TOKEN)), lines.toString());
        }
    }

    private static <T extends Throwable> T failure(CompletableFuture<?> future, Class<T> type) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    /** The server's view: "connected host-1 kvm1", "heartbeat host-1", "overdue host-1", "disconnected host-1: …". */
    private static final class StatusEvents implements HostStatusListener {
        private final List<String> events = new ArrayList<>();

        @Override
        public synchronized void connected(String hostId, Hello hello) {
            events.add("connected " + hostId + " " + hello.hostname());
        }

        @Override
        public synchronized void heartbeat(String hostId) {
            events.add("heartbeat " + hostId);
        }

        @Override
        public synchronized void heartbeatOverdue(String hostId) {
            events.add("overdue " + hostId);
        }

        @Override
        public synchronized void disconnected(String hostId, String reason) {
            events.add("disconnected " + hostId + ": " + reason);
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        synchronized boolean has(String prefix) {
            return events.stream().anyMatch(e -> e.startsWith(prefix));
        }

        synchronized long count(String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix)).count();
        }
    }
}
