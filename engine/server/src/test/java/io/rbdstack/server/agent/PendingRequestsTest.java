package io.rbdstack.server.agent;

import static io.rbdstack.server.agent.AgentListenerTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ExecutorService completions = Executors.newSingleThreadExecutor(new NamedThreadFactory("answers"));
    private final PendingRequests pending = new PendingRequests(timers, completions);

    PendingRequestsTest() {
        timers.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        completions.shutdownNow();
    }

    @Test
    void anAnswerCompletesItsRequestButNeverRunsCallerCodeOnTheReaderThread() throws Exception {
        PendingRequests.Registration first = pending.register("EchoCommand", LONG, IllegalStateException::new);
        PendingRequests.Registration second = pending.register("EchoCommand", LONG, IllegalStateException::new);
        assertNotEquals(first.requestId(), second.requestId());
        CompletableFuture<String> stageThread = first.future().thenApply(a -> Thread.currentThread().getName());

        Thread reader = new Thread(() -> pending.complete(first.requestId(), GenericAnswer.ok()), "socket-reader");
        reader.start();
        reader.join();

        assertEquals(GenericAnswer.ok(), first.future().get(5, TimeUnit.SECONDS));
        assertNotEquals("socket-reader", stageThread.get(5, TimeUnit.SECONDS));
        assertFalse(second.future().isDone());
        assertFalse(pending.complete(first.requestId(), GenericAnswer.ok()), "answered only once");
    }

    @Test
    void aRequestWithoutAnswerFailsWithTheTimeoutError() {
        PendingRequests.Registration registration = pending.register("EchoCommand", Duration.ofMillis(50),
                () -> new AgentTimeoutException("h1", "EchoCommand", Duration.ofMillis(50)));

        assertEquals("EchoCommand to host h1 timed out after 50 ms",
                failure(registration.future(), AgentTimeoutException.class).getMessage());
        assertFalse(pending.complete(registration.requestId(), GenericAnswer.ok()), "a late answer is dropped");
        assertEquals(0, pending.size());
    }

    @Test
    void failAllFailsEveryRequestAndRefusesNewOnes() {
        CompletableFuture<Answer> echo = pending.register("EchoCommand", LONG, IllegalStateException::new).future();
        CompletableFuture<Answer> ready = pending.register("ReadyCommand", LONG, IllegalStateException::new).future();

        pending.failAll(type -> AgentUnavailableException.lost("h1", type));

        assertEquals("connection to host h1 lost while running EchoCommand",
                failure(echo, AgentUnavailableException.class).getMessage());
        assertEquals("connection to host h1 lost while running ReadyCommand",
                failure(ready, AgentUnavailableException.class).getMessage());
        assertNull(pending.register("EchoCommand", LONG, IllegalStateException::new));
    }

    @Test
    void aCancelledRequestIsForgottenWithItsTimer() {
        PendingRequests.Registration registration = pending.register("EchoCommand", LONG, IllegalStateException::new);

        registration.future().cancel(false);

        assertEquals(0, pending.size());
        Await.until("timer removed", () -> timers.getQueue().isEmpty());
    }

    @Test
    void afterTheTimersStopARequestFailsAtOnce() {
        timers.shutdownNow();

        PendingRequests.Registration registration = pending.register("EchoCommand", LONG, IllegalStateException::new);

        assertEquals("the agent listener is closed",
                failure(registration.future(), AgentUnavailableException.class).getMessage());
        assertEquals(0, pending.size());
    }
}
