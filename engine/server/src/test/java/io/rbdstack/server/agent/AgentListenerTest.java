package io.rbdstack.server.agent;

import io.rbdstack.testing.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.Ping;
import io.rbdstack.spi.agent.Pong;
import io.rbdstack.spi.agent.ReadyCommand;
import io.rbdstack.spi.agent.Rejected;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.Welcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentListenerTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final MessageCodec CODEC = MessageCodec.load(AgentListenerTest.class.getClassLoader());
    private static final Map<String, String> HOSTS_BY_TOKEN = Map.of("token-1", "host-1", "token-2", "host-2");

    private final RecordingStatusListener status = new RecordingStatusListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private HostAuthenticator authenticator = (token, hello) -> Optional.ofNullable(HOSTS_BY_TOKEN.get(token));
    private AgentListener listener;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    private AgentListener start(ListenerConfig config) throws IOException {
        listener = new AgentListener(config, CODEC, authenticator, status);
        listener.start();
        return listener;
    }

    private AgentListener start() throws IOException {
        return start(ListenerConfig.plain("127.0.0.1", 0).withHeartbeatInterval(INTERVAL));
    }

    private RawAgent agent() throws IOException {
        RawAgent agent = new RawAgent(listener.port());
        toClose.add(agent);
        return agent;
    }

    private AgentConnections connections() {
        return listener.connections();
    }

    @Test
    void acceptsAHelloWithAKnownToken() throws Exception {
        start();
        Welcome welcome = agent().handshake("token-1");

        assertEquals("host-1", welcome.hostId());
        assertEquals(INTERVAL.toMillis(), welcome.heartbeatIntervalMillis());
        Await.until("connected event", () -> status.has("connected host-1"));
        assertTrue(connections().isConnected("host-1"));
        assertTrue(listener.port() > 0);
    }

    @Test
    void rejectsAnUnknownTokenAndCloses() throws Exception {
        start();
        RawAgent agent = agent();
        agent.send(RawAgent.hello("wrong"));

        assertEquals(new Rejected("invalid host credential"), agent.receive());
        Await.until("server closes the socket", agent::closedByServer);
        assertTrue(status.events().isEmpty());
    }

    @Test
    void rejectsWhenTheAuthenticatorFails() throws Exception {
        authenticator = (token, hello) -> {
            throw new IllegalStateException("database down");
        };
        start();
        RawAgent agent = agent();
        agent.send(RawAgent.hello("token-1"));

        assertEquals(new Rejected("authentication failed on the management server"), agent.receive());
        Await.until("server closes the socket", agent::closedByServer);
    }

    @Test
    void theFirstMessageMustBeAHello() throws Exception {
        start();
        RawAgent agent = agent();
        agent.send(new Ping(1));

        assertEquals(new Rejected("expected hello, got ping"), agent.receive());
        Await.until("server closes the socket", agent::closedByServer);
    }

    @Test
    void closesAConnectionWithoutHelloAfterTheHandshakeTimeout() throws Exception {
        start(ListenerConfig.plain("127.0.0.1", 0).withHeartbeatInterval(INTERVAL)
                .withHandshakeTimeout(Duration.ofMillis(200)));
        RawAgent agent = agent();

        Await.until("server closes the silent socket", agent::closedByServer);
    }

    @Test
    void aTlsHandshakeThatStallsIsClosedAfterTheHandshakeTimeout() throws Exception {
        io.rbdstack.server.ca.CertificateAuthority ca = io.rbdstack.server.ca.CertificateAuthority.generate("test CA",
                java.time.Clock.systemUTC());
        javax.net.ssl.SSLContext tls = io.rbdstack.server.ca.ManagementServerIdentity.issue(ca, Duration.ofDays(1))
                .agentPortContext(certificate -> false);
        start(ListenerConfig.plain("127.0.0.1", 0).withHeartbeatInterval(INTERVAL).withTls(tls)
                .withHandshakeTimeout(Duration.ofMillis(300)));
        RawAgent agent = agent();
        agent.sendRaw(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello, then nothing

        Await.until("server closes the stalled TLS handshake", agent::closedByServer);
    }

    @Test
    void connectionsOverTheCapOfUnauthenticatedOnesAreClosedAtOnce() throws Exception {
        start(ListenerConfig.plain("127.0.0.1", 0).withHeartbeatInterval(INTERVAL)
                .withHandshakeTimeout(Duration.ofSeconds(30)).withMaxUnauthenticated(2));
        // Accepted one after the other, in order: the third finds two waiting.
        RawAgent silent1 = agent();
        RawAgent silent2 = agent();
        RawAgent third = agent();
        Await.until("the third is closed at once", third::closedByServer);
        assertFalse(silent1.closedByServer());
        assertFalse(silent2.closedByServer());

        // Once one of them authenticates, there is room again.
        silent1.handshake("token-1");
        RawAgent fourth = agent();
        assertEquals("host-2", fourth.handshake("token-2").hostId());
    }

    @Test
    void closesAConnectionWhoseHelloIsOverItsLimit() throws Exception {
        start();
        RawAgent agent = agent();
        byte[] big = new byte[AgentConnection.MAX_HELLO_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        agent.sendRaw(big);

        Await.until("server closes the socket", agent::closedByServer);
    }

    @Test
    void sendingToAHostThatIsNotConnectedFailsAtOnce() throws Exception {
        start();
        CompletableFuture<Answer> answer = connections().send("host-9", new ReadyCommand(), Duration.ofSeconds(5));

        assertTrue(answer.isCompletedExceptionally());
        assertEquals("host host-9 is not connected", failure(answer, AgentUnavailableException.class).getMessage());
    }

    @Test
    void echoRoundTrip() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");

        CompletableFuture<Answer> answer = connections().send("host-1", new EchoCommand("hi", 0), Duration.ofSeconds(5));
        Request request = agent.receive(Request.class);
        assertEquals(new EchoCommand("hi", 0), request.command());
        assertEquals(5000, request.timeoutMillis());
        agent.send(new Response(request.requestId(), EchoAnswer.of("hi")));

        assertEquals(EchoAnswer.of("hi"), answer.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aStoppingAgentsRefusalFailsTheRequestAsNeverRunAndKeepsTheConnection() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");

        CompletableFuture<Answer> answer = connections().send("host-1", new EchoCommand("hi", 0), Duration.ofSeconds(5));
        Request request = agent.receive(Request.class);
        agent.send(new Response(request.requestId(),
                io.rbdstack.spi.agent.StoppingAnswer.of("the agent is stopping and did not run EchoCommand")));

        AgentUnavailableException refused = failure(answer, AgentUnavailableException.class);
        assertEquals("host host-1: the agent is stopping and did not run EchoCommand", refused.getMessage());
        assertTrue(refused.neverSent(), "never run: another host may run it, safe to run twice or not");
        agent.send(new Ping(1));
        assertEquals(new Pong(1), agent.receive());
        assertTrue(connections().isConnected("host-1"), "its running commands may still answer on it");
        assertTrue(connections().isStopping("host-1"), "an agent that sent no notice is known stopping by its refusal");
        assertFalse(connections().takesCommands("host-1"));
    }

    @Test
    void aStoppingNoticeMeansNoNewCommandIsSentToTheHostUntilItConnectsAgain() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");
        CompletableFuture<Answer> running = connections().send("host-1", new EchoCommand("running", 0),
                Duration.ofSeconds(5));
        Request runningRequest = agent.receive(Request.class);
        List<String> logged;
        try (LogCapture logs = new LogCapture()) {
            agent.send(new io.rbdstack.spi.agent.StoppingNotice(30_000));
            agent.send(new io.rbdstack.spi.agent.StoppingNotice(30_000)); // a second notice changes nothing
            Await.until("the host is known stopping", () -> connections().isStopping("host-1"));

            CompletableFuture<Answer> refused = connections().send("host-1", new EchoCommand("new", 0),
                    Duration.ofSeconds(5));
            AgentUnavailableException unsent = failure(refused, AgentUnavailableException.class);
            assertEquals("host host-1 is stopping and takes no new commands: EchoCommand was not sent",
                    unsent.getMessage());
            assertTrue(unsent.neverSent(), "another host may run it");
            assertTrue(connections().isConnected("host-1"));
            assertFalse(connections().takesCommands("host-1"));
            agent.send(new Ping(1));
            assertEquals(new Pong(1), agent.receive(), "the new command never reached the agent");
            agent.send(new Response(runningRequest.requestId(), EchoAnswer.of("running")));
            assertEquals(EchoAnswer.of("running"), running.get(5, TimeUnit.SECONDS), "a running command still answers");
            logged = logs.lines().stream().filter(l -> l.contains("is stopping")).toList();
        }
        assertEquals(1, logged.size(), "said once: " + logged);
        assertTrue(logged.get(0).contains("Host host-1 is stopping (its agent's graceful stop began; running commands"
                + " may answer for up to 30000 ms): it will not be given new commands until its agent connects again"),
                logged.get(0));

        RawAgent restarted = agent();
        restarted.handshake("token-1");
        Await.until("the new connection replaced the stopping one", () -> status.count("connected host-1") == 2);
        assertFalse(connections().isStopping("host-1"), "a new connection clears it");
        assertTrue(connections().takesCommands("host-1"));
        CompletableFuture<Answer> again = connections().send("host-1", new EchoCommand("again", 0), Duration.ofSeconds(5));
        Request request = restarted.receive(Request.class);
        restarted.send(new Response(request.requestId(), EchoAnswer.of("again")));
        assertEquals(EchoAnswer.of("again"), again.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theStoppingConnectionsEndEndsTheStop() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");
        agent.send(new io.rbdstack.spi.agent.StoppingNotice(1_000));
        Await.until("the host is known stopping", () -> connections().isStopping("host-1"));

        agent.close();

        Await.until("disconnected event", () -> status.has("disconnected host-1"));
        assertFalse(connections().isStopping("host-1"));
        assertEquals("host host-1 is not connected", failure(
                connections().send("host-1", new ReadyCommand(), Duration.ofSeconds(1)),
                AgentUnavailableException.class).getMessage());
    }

    @Test
    void aCommandWithoutAnswerTimesOutAndItsLateAnswerIsIgnored() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");

        CompletableFuture<Answer> answer = connections().send("host-1", new EchoCommand("slow", 0), Duration.ofMillis(150));
        Request request = agent.receive(Request.class);

        AgentTimeoutException timeout = failure(answer, AgentTimeoutException.class);
        assertEquals("EchoCommand to host host-1 timed out after 150 ms", timeout.getMessage());
        agent.send(new Response(request.requestId(), EchoAnswer.of("slow")));
        agent.send(new Ping(1));
        assertEquals(new Pong(1), agent.receive());
        assertTrue(connections().isConnected("host-1"));
    }

    @Test
    void requestsInFlightFailWhenTheAgentDies() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");
        CompletableFuture<Answer> echo = connections().send("host-1", new EchoCommand("x", 0), Duration.ofSeconds(30));
        CompletableFuture<Answer> ready = connections().send("host-1", new ReadyCommand(), Duration.ofSeconds(30));
        agent.receive(Request.class);
        agent.receive(Request.class);

        agent.close();

        assertEquals("connection to host host-1 lost while running EchoCommand",
                failure(echo, AgentUnavailableException.class).getMessage());
        assertEquals("connection to host host-1 lost while running ReadyCommand",
                failure(ready, AgentUnavailableException.class).getMessage());
        Await.until("disconnected event", () -> status.has("disconnected host-1"));
        assertFalse(connections().isConnected("host-1"));
        assertEquals("host host-1 is not connected", failure(
                connections().send("host-1", new ReadyCommand(), Duration.ofSeconds(1)),
                AgentUnavailableException.class).getMessage());
    }

    @Test
    void pingsKeepTheHostConnected() throws Exception {
        // A wider interval than the other tests: this one asserts that nothing goes overdue, which a
        // loaded 2-core build machine must not turn into a flake.
        Duration interval = Duration.ofMillis(250);
        start(ListenerConfig.plain("127.0.0.1", 0).withHeartbeatInterval(interval));
        RawAgent agent = agent();
        agent.handshake("token-1");

        long eightIntervalsFromNow = System.nanoTime() + interval.multipliedBy(8).toNanos();
        long sequence = 0;
        while (System.nanoTime() < eightIntervalsFromNow) {
            agent.send(new Ping(++sequence));
            assertEquals(new Pong(sequence), agent.receive());
            Thread.sleep(interval.toMillis() / 2); // pings at twice the rate asked
        }

        Await.until("heartbeat events", () -> status.count("heartbeat host-1") >= 8);
        assertEquals(List.of("connected host-1"), status.transitions());
        assertTrue(connections().isConnected("host-1"));
    }

    @Test
    void aSilentAgentIsOverdueThenDisconnected() throws Exception {
        start();
        RawAgent agent = agent();
        long start = System.nanoTime();
        agent.handshake("token-1");

        Await.until("overdue event", () -> status.has("overdue host-1"));
        long overdueAfter = System.nanoTime() - start;
        assertTrue(connections().isConnected("host-1"), "overdue is not disconnected");
        Await.until("disconnected event", () -> status.has("disconnected host-1"));
        long disconnectedAfter = System.nanoTime() - start;
        Await.until("server closes the socket", agent::closedByServer);

        assertTrue(overdueAfter >= INTERVAL.multipliedBy(3).toNanos(), "overdue too early: " + overdueAfter);
        assertTrue(disconnectedAfter >= INTERVAL.multipliedBy(6).toNanos(), "disconnected too early");
        List<String> events = status.transitions();
        assertEquals(3, events.size(), events.toString());
        assertEquals("connected host-1", events.get(0));
        assertEquals("overdue host-1", events.get(1));
        assertTrue(events.get(2).startsWith("disconnected host-1: no message from the agent for "), events.get(2));
        assertFalse(connections().isConnected("host-1"));
    }

    @Test
    void anOverdueHostRecoversWithAPing() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");
        Await.until("overdue event", () -> status.has("overdue host-1"));

        agent.send(new Ping(1));
        assertEquals(new Pong(1), agent.receive());

        Await.until("heartbeat after overdue", () -> status.events().contains("heartbeat host-1"));
        assertEquals(List.of("connected host-1", "overdue host-1", "heartbeat host-1"), status.events());
    }

    @Test
    void aSecondConnectionForTheSameHostReplacesTheFirst() throws Exception {
        start();
        RawAgent first = agent();
        first.handshake("token-1");
        CompletableFuture<Answer> inFlight = connections().send("host-1", new EchoCommand("a", 0), Duration.ofSeconds(30));
        first.receive(Request.class);

        RawAgent second = agent();
        second.handshake("token-1");

        Await.until("the first socket is closed", first::closedByServer);
        assertEquals("connection to host host-1 lost while running EchoCommand",
                failure(inFlight, AgentUnavailableException.class).getMessage());
        Await.until("second connected event", () -> status.count("connected host-1") == 2);
        List<String> events = status.transitions();
        assertEquals(3, events.size(), events.toString());
        assertTrue(events.get(1).startsWith("disconnected host-1: replaced by a new connection from /127.0.0.1:"));
        assertEquals("connected host-1", events.get(2));

        CompletableFuture<Answer> answer = connections().send("host-1", new EchoCommand("b", 0), Duration.ofSeconds(5));
        Request request = second.receive(Request.class);
        second.send(new Response(request.requestId(), EchoAnswer.of("b")));
        assertEquals(EchoAnswer.of("b"), answer.get(5, TimeUnit.SECONDS));
        assertTrue(connections().isConnected("host-1"));
    }

    @Test
    void anAnswerOfAnUnknownTypeFailsOnlyItsRequest() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");
        CompletableFuture<Answer> answer = connections().send("host-1", new ReadyCommand(), Duration.ofSeconds(30));
        Request request = agent.receive(Request.class);

        agent.sendLine("{\"type\":\"response\",\"requestId\":" + request.requestId()
                + ",\"answer\":{\"answer\":\"fromTheFuture\",\"success\":true}}");

        assertEquals("host host-1 sent an unreadable answer to request " + request.requestId()
                        + ": unknown Answer type 'fromTheFuture'",
                failure(answer, AgentProtocolException.class).getMessage());
        agent.send(new Ping(1));
        assertEquals(new Pong(1), agent.receive());
    }

    @Test
    void unknownMessagesAreIgnoredButUnexpectedOnesCloseTheConnection() throws Exception {
        start();
        RawAgent agent = agent();
        agent.handshake("token-1");

        agent.sendLine("{\"type\":\"telemetry\",\"load\":0.5}");
        agent.sendLine("");
        agent.send(new Ping(1));
        assertEquals(new Pong(1), agent.receive());

        agent.send(new Welcome("host-1", 1000));
        Await.until("disconnected event", () -> status.has("disconnected host-1: unexpected welcome from the agent"));
        Await.until("server closes the socket", agent::closedByServer);
    }

    @Test
    void aLineOfExactlyTheLimitIsReadAndALongerOneEndsTheConnection() throws Exception {
        start(ListenerConfig.plain("127.0.0.1", 0).withHeartbeatInterval(Duration.ofSeconds(30)));
        RawAgent agent = agent();
        agent.handshake("token-1");

        agent.sendRaw(paddedPing(7, AgentMessage.MAX_LINE_BYTES));
        assertEquals(new Pong(7), agent.receive());

        agent.sendRaw(paddedPing(8, AgentMessage.MAX_LINE_BYTES + 1));
        Await.until("disconnected event", () -> status.has("disconnected host-1: message longer than 16777216 bytes"));
        Await.until("server closes the socket", agent::closedByServer);
    }

    @Test
    void closeEndsEveryConnectionAndFailsTheirRequests() throws Exception {
        start();
        RawAgent one = agent();
        RawAgent two = agent();
        one.handshake("token-1");
        two.handshake("token-2");
        CompletableFuture<Answer> inFlight = connections().send("host-2", new ReadyCommand(), Duration.ofSeconds(30));
        two.receive(Request.class);

        listener.close();

        Await.until("server closes the first socket", one::closedByServer);
        Await.until("server closes the second socket", two::closedByServer);
        assertEquals("connection to host host-2 lost while running ReadyCommand",
                failure(inFlight, AgentUnavailableException.class).getMessage());
        assertTrue(status.events().contains("disconnected host-1: management server shutting down"));
        assertTrue(status.events().contains("disconnected host-2: management server shutting down"));
        assertFalse(connections().isConnected("host-1"));
    }

    @Test
    void aFailingStatusListenerDoesNotBreakTheConnection() throws Exception {
        listener = new AgentListener(ListenerConfig.plain("127.0.0.1", 0).withHeartbeatInterval(INTERVAL), CODEC,
                authenticator, new ThrowingStatusListener());
        listener.start();
        RawAgent agent = agent();
        agent.handshake("token-1");

        agent.send(new Ping(1));
        assertEquals(new Pong(1), agent.receive());
        assertTrue(connections().isConnected("host-1"));
    }

    @Test
    void theTokenIsNeverLogged() throws Exception {
        String secret = "s3cr3t-token-value";
        authenticator = (token, hello) -> token.equals(secret) ? Optional.of("host-1") : Optional.empty();
        try (LogCapture logs = new LogCapture()) {
            start();
            RawAgent accepted = agent();
            accepted.handshake(secret);
            accepted.send(new Ping(1));
            accepted.receive(Pong.class);
            RawAgent rejected = agent();
            rejected.send(RawAgent.hello(secret + "-wrong"));
            rejected.receive(Rejected.class);
            accepted.close();
            Await.until("disconnected event", () -> status.has("disconnected host-1"));
            listener.close();

            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("Rejected agent kvm-test")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("connected from")), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.contains(secret)), lines.toString());
        }
    }

    private static byte[] paddedPing(long sequence, int lineBytes) {
        byte[] json = ("{\"type\":\"ping\",\"sequence\":" + sequence + "}").getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[lineBytes + 1];
        Arrays.fill(line, (byte) ' ');
        System.arraycopy(json, 0, line, 0, json.length);
        line[lineBytes] = '\n';
        return line;
    }

    /** The exception the future failed with, which must be of the given type. */
    static <T extends Throwable> T failure(CompletableFuture<?> future, Class<T> type) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    private static final class ThrowingStatusListener implements HostStatusListener {
        @Override
        public void connected(String hostId, io.rbdstack.spi.agent.Hello hello) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void heartbeat(String hostId) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void heartbeatOverdue(String hostId) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void disconnected(String hostId, String reason) {
            throw new IllegalStateException("listener bug");
        }
    }
}
