package io.rbdstack.server.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostTransferQueuesTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    record Copy(String name) implements AgentCommand {
        @Override
        public boolean transfer() {
            return true;
        }
    }

    record Create(String name) implements AgentCommand {
    }

    /** Records what reached the agent; the test answers each request when it likes. */
    static class FakeAgents implements AgentConnections {
        record Sent(String host, AgentCommand command, CompletableFuture<Answer> answer) {
        }

        final List<Sent> sent = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout,
                                                           RequestProgress progress) {
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            sent.add(new Sent(hostId, command, answer));
            return answer;
        }

        synchronized List<AgentCommand> commandsTo(String host) {
            return sent.stream().filter(s -> s.host().equals(host)).map(Sent::command).toList();
        }

        synchronized CompletableFuture<Answer> answerOf(AgentCommand command) {
            return sent.stream().filter(s -> s.command().equals(command)).findFirst().orElseThrow().answer();
        }

        @Override
        public boolean isConnected(String hostId) {
            return true;
        }

        @Override
        public boolean isStopping(String hostId) {
            return false;
        }

        @Override
        public void disconnect(String hostId, String reason) {
        }

        @Override
        public int inFlight(String hostId) {
            return 0;
        }
    }

    /** Keeps every report, in order. */
    static final class Reports implements RequestProgress {
        final List<String> seen = new ArrayList<>();

        @Override
        public synchronized void progress(long done, long total) {
            seen.add("progress " + done);
        }

        @Override
        public synchronized void queued(int ahead) {
            seen.add("queued " + ahead);
        }

        @Override
        public synchronized void started() {
            seen.add("started");
        }
    }

    private final FakeAgents agents = new FakeAgents();
    private final AtomicInteger threshold = new AtomicInteger(2);
    private final HostTransferQueues queues = new HostTransferQueues(agents, threshold::get);

    @Test
    void transfersBeyondTheThresholdWaitAndStartInOrderAsRunningOnesEnd() throws Exception {
        Copy a = new Copy("a");
        Copy b = new Copy("b");
        Copy c = new Copy("c");
        Copy d = new Copy("d");
        Reports cReports = new Reports();
        Reports dReports = new Reports();
        queues.send("h1", a, TIMEOUT, new Reports());
        queues.send("h1", b, TIMEOUT, new Reports());
        CompletableFuture<Answer> cAnswer = queues.send("h1", c, TIMEOUT, cReports);
        queues.send("h1", d, TIMEOUT, dReports);

        assertEquals(List.of(a, b), agents.commandsTo("h1"));
        assertEquals(2, queues.running("h1"));
        assertEquals(2, queues.waiting("h1"));
        assertEquals(List.of("queued 0"), cReports.seen);
        assertEquals(List.of("queued 1"), dReports.seen);

        agents.answerOf(b).complete(GenericAnswer.ok());

        assertEquals(List.of(a, b, c), agents.commandsTo("h1"));
        assertEquals(List.of("queued 0", "started"), cReports.seen);
        assertEquals(List.of("queued 1", "queued 0"), dReports.seen);
        assertEquals(2, queues.running("h1"));
        assertFalse(cAnswer.isDone());

        agents.answerOf(c).complete(GenericAnswer.failure("disk full"));
        assertEquals(GenericAnswer.failure("disk full"), cAnswer.get());
        assertEquals(List.of(a, b, c, d), agents.commandsTo("h1"));
        assertEquals(List.of("queued 1", "queued 0", "started"), dReports.seen);
    }

    @Test
    void otherCommandsNeverWaitBehindTransfers() {
        queues.send("h1", new Copy("a"), TIMEOUT, RequestProgress.IGNORED);
        queues.send("h1", new Copy("b"), TIMEOUT, RequestProgress.IGNORED);
        queues.send("h1", new Copy("c"), TIMEOUT, RequestProgress.IGNORED);
        Create create = new Create("v1");

        queues.send("h1", create, TIMEOUT, RequestProgress.IGNORED);

        assertTrue(agents.commandsTo("h1").contains(create));
        assertEquals(2, queues.running("h1"));
    }

    @Test
    void eachHostHasItsOwnWorkers() {
        queues.send("h1", new Copy("a"), TIMEOUT, RequestProgress.IGNORED);
        queues.send("h1", new Copy("b"), TIMEOUT, RequestProgress.IGNORED);
        Copy other = new Copy("c");

        queues.send("h2", other, TIMEOUT, RequestProgress.IGNORED);

        assertEquals(List.of(other), agents.commandsTo("h2"));
    }

    @Test
    void aRaisedThresholdAppliesAtTheNextTransfer() {
        queues.send("h1", new Copy("a"), TIMEOUT, RequestProgress.IGNORED);
        queues.send("h1", new Copy("b"), TIMEOUT, RequestProgress.IGNORED);
        queues.send("h1", new Copy("c"), TIMEOUT, RequestProgress.IGNORED);
        threshold.set(4);

        queues.send("h1", new Copy("d"), TIMEOUT, RequestProgress.IGNORED);

        assertEquals(4, agents.commandsTo("h1").size());
        assertEquals(0, queues.waiting("h1"));
    }

    @Test
    void aFailedTransferFreesItsWorkerAndPassesItsErrorOn() throws Exception {
        Copy a = new Copy("a");
        CompletableFuture<Answer> aAnswer = queues.send("h1", a, TIMEOUT, RequestProgress.IGNORED);
        queues.send("h1", new Copy("b"), TIMEOUT, RequestProgress.IGNORED);
        Copy c = new Copy("c");
        queues.send("h1", c, TIMEOUT, RequestProgress.IGNORED);
        AgentUnavailableException lost = AgentUnavailableException.notConnected("h1");

        agents.answerOf(a).completeExceptionally(lost);

        ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, aAnswer::get);
        assertSame(lost, thrown.getCause());
        assertTrue(agents.commandsTo("h1").contains(c));
    }

    @Test
    void aCancelledWaitingTransferLeavesTheQueueUnsent() {
        queues.send("h1", new Copy("a"), TIMEOUT, RequestProgress.IGNORED);
        Copy b = new Copy("b");
        queues.send("h1", b, TIMEOUT, RequestProgress.IGNORED);
        Copy c = new Copy("c");
        CompletableFuture<Answer> cAnswer = queues.send("h1", c, TIMEOUT, RequestProgress.IGNORED);

        cAnswer.cancel(false);
        agents.answerOf(b).complete(GenericAnswer.ok());

        assertFalse(agents.commandsTo("h1").contains(c));
        assertEquals(0, queues.waiting("h1"));
        assertEquals(1, queues.running("h1"));
    }

    @Test
    void aTransferWhoseSendFailsAtOnceFailsItsCallerAndFreesItsWorker() throws Exception {
        HostTransferQueues lost = new HostTransferQueues(new FakeAgents() {
            @Override
            public synchronized CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout,
                                                               RequestProgress progress) {
                return CompletableFuture.failedFuture(new IllegalStateException("host " + hostId + " is not connected"));
            }
        }, () -> 1);

        CompletableFuture<Answer> answer = lost.send("h1", new Copy("a"), TIMEOUT, new Reports());

        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                answer::get);
        assertTrue(failed.getCause().getMessage().contains("not connected"), failed.getCause().toString());
        assertEquals(0, lost.running("h1"));
        assertEquals(0, lost.waiting("h1"));
    }

    @Test
    void waitingTransfersMakeTheirHostBusy() {
        threshold.set(1);
        queues.send("h1", new Copy("a"), TIMEOUT, new Reports());
        queues.send("h1", new Copy("b"), TIMEOUT, new Reports());
        queues.send("h1", new Copy("c"), TIMEOUT, new Reports());

        assertEquals(1 + 2, queues.inFlight("h1"), "one running, two waiting");
        assertEquals(0, queues.inFlight("h2"));
    }

    @Test
    void aTransferGivenUpOnWhileWaitingIsNeverSent() throws Exception {
        threshold.set(1);
        Copy a = new Copy("a");
        Copy b = new Copy("b");
        queues.send("h1", a, TIMEOUT, new Reports());
        CompletableFuture<Answer> waiting = queues.send("h1", b, TIMEOUT, new Reports());

        waiting.cancel(false);
        agents.answerOf(a).complete(new GenericAnswer(true, null));

        assertEquals(List.of(a), agents.commandsTo("h1"), "the cancelled transfer never reached the agent");
        assertEquals(0, queues.running("h1"));
    }
}
