package io.rbdstack.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import org.junit.jupiter.api.Test;

class CommandDispatcherTest {

    private static final HostInfo HOST_INFO = new HostInfo(4, 2400, 8L << 30, "9.0.0", "7.2.0", true);

    @Test
    void basicCommandsAnswerReadyAndEcho() {
        CommandHandler commands = CommandHandlerRegistry.of(BasicCommandHandlers.handlers("kvm1", () -> HOST_INFO));

        assertEquals(ReadyAnswer.ready("kvm1", HOST_INFO), commands.handle(new ReadyCommand()));
        assertEquals(EchoAnswer.of("hi"), commands.handle(new EchoCommand("hi", 1)));
    }

    @Test
    void anUnexpectedExceptionBecomesAFailedAnswerWithAnIncidentIdNotItsInternals() {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> {
            throw new IllegalStateException("internal detail at io.rbdstack.Something");
        }, 1)) {
            Answer answer = dispatcher.run(new ReadyCommand());
            assertFalse(answer.success());
            assertTrue(answer.details().matches("the agent failed to run ReadyCommand \\(incident [0-9a-f]{8}\\); see the"
                    + " agent log"), answer.details());
        }
    }

    @Test
    void anExceptionWithoutMessageIsNotNamedByItsClass() {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> {
            throw new UnsupportedOperationException();
        }, 1)) {
            assertFalse(dispatcher.run(new ReadyCommand()).details().contains("java.lang"));
        }
    }

    @Test
    void noAnswerIsAFailedAnswer() {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> null, 1)) {
            assertEquals(GenericAnswer.failure("ReadyCommand produced no answer"), dispatcher.run(new ReadyCommand()));
        }
    }

    @Test
    void workersOfBothKindsEndWhenIdleAndStartAgainForTheNextCommand() throws Exception {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> null, 2,
                java.time.Duration.ofMillis(100))) {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(2);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Runnable busy = () -> {
                running.countDown();
                awaitQuietly(release);
            };
            dispatcher.workersFor(new ReadyCommand()).execute(busy);
            dispatcher.workersFor(new SlowCopy()).execute(busy);
            assertTrue(running.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, dispatcher.liveWorkers(), "a command worker and a transfer worker");
            release.countDown();

            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (dispatcher.liveWorkers() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, dispatcher.liveWorkers(), "no worker lives on without a command");

            java.util.concurrent.CountDownLatch again = new java.util.concurrent.CountDownLatch(1);
            dispatcher.workersFor(new ReadyCommand()).execute(again::countDown);
            assertTrue(again.await(5, java.util.concurrent.TimeUnit.SECONDS), "a new worker runs the next command");
        }
    }

    record SlowCopy() implements io.rbdstack.spi.agent.AgentCommand {
        @Override
        public boolean transfer() {
            return true;
        }
    }

    @Test
    void controlCommandsRunWhileMoreTransfersThanCommandWorkersRun() throws Exception {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> null, 1)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch transfersRunning = new java.util.concurrent.CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                dispatcher.workersFor(new SlowCopy()).execute(() -> {
                    transfersRunning.countDown();
                    awaitQuietly(release);
                });
            }
            assertTrue(transfersRunning.await(5, java.util.concurrent.TimeUnit.SECONDS),
                    "three transfers run at once beside one command worker");
            java.util.concurrent.CountDownLatch controlRan = new java.util.concurrent.CountDownLatch(1);

            dispatcher.workersFor(new ReadyCommand()).execute(controlRan::countDown);

            assertTrue(controlRan.await(5, java.util.concurrent.TimeUnit.SECONDS),
                    "the command worker is free while transfers run");
            release.countDown();
        }
    }

    /** The messages a connection was sent. */
    static final class RecordingSender implements MessageSender {
        final java.util.List<io.rbdstack.spi.agent.AgentMessage> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void send(io.rbdstack.spi.agent.AgentMessage message) {
            sent.add(message);
        }
    }

    /** What the handler saw of each command: started, interrupted, finished. */
    static final class BlockingHandler implements CommandHandler {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.Map<String, java.util.concurrent.CountDownLatch> started = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Set<String> interrupted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Set<String> finished = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.CountDownLatch anyEnded = new java.util.concurrent.CountDownLatch(1);

        /** Dispatches the request and returns once the handler runs it. */
        void runUntilStarted(CommandDispatcher dispatcher, io.rbdstack.spi.agent.Request request, MessageSender session)
                throws InterruptedException {
            dispatcher.dispatch(request, session);
            String name = request.command().getClass().getSimpleName();
            assertTrue(started(name).await(5, java.util.concurrent.TimeUnit.SECONDS), name + " started");
        }

        java.util.concurrent.CountDownLatch started(String name) {
            return started.computeIfAbsent(name, n -> new java.util.concurrent.CountDownLatch(1));
        }

        @Override
        public Answer handle(io.rbdstack.spi.agent.AgentCommand command) {
            String name = command.getClass().getSimpleName();
            started(name).countDown();
            try {
                if (!release.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    return GenericAnswer.failure("never released");
                }
                finished.add(name);
                return GenericAnswer.ok();
            } catch (InterruptedException e) {
                interrupted.add(name);
                return GenericAnswer.failure("interrupted");
            } finally {
                anyEnded.countDown();
            }
        }
    }

    record CreateVolume() implements io.rbdstack.spi.agent.AgentCommand {
    }

    private static io.rbdstack.spi.agent.Request request(long id, io.rbdstack.spi.agent.AgentCommand command) {
        return new io.rbdstack.spi.agent.Request(id, 60_000, command);
    }

    @Test
    void onlyTransfersAreInterruptedWhenTheirConnectionIsLost() {
        assertTrue(CommandDispatcher.interruptedOnLostConnection(new SlowCopy()));
        assertFalse(CommandDispatcher.interruptedOnLostConnection(new CreateVolume()));
        assertFalse(CommandDispatcher.interruptedOnLostConnection(new ReadyCommand()));
    }

    @Test
    void aLostConnectionInterruptsItsTransferAndSendsNoAnswer() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender lost = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(1, new SlowCopy()), lost);

            dispatcher.cancel(lost);

            assertTrue(handler.anyEnded.await(5, java.util.concurrent.TimeUnit.SECONDS), "the transfer stopped");
            assertEquals(java.util.Set.of("SlowCopy"), handler.interrupted);
            Thread.sleep(100);
            assertTrue(lost.sent.stream().noneMatch(m -> m instanceof io.rbdstack.spi.agent.Response), lost.sent.toString());
        } finally {
            handler.release.countDown();
        }
    }

    @Test
    void aShortCommandOfALostConnectionFinishesUninterruptedAndItsAnswerIsDropped() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender lost = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(1, new CreateVolume()), lost);

            dispatcher.cancel(lost);
            Thread.sleep(200); // an interrupt, if any, would have reached the handler by now
            assertTrue(handler.interrupted.isEmpty(), "not interrupted mid-way");
            handler.release.countDown();

            assertTrue(handler.anyEnded.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(java.util.Set.of("CreateVolume"), handler.finished, "ran to its end");
            Thread.sleep(100);
            assertTrue(lost.sent.isEmpty(), "its answer is dropped: " + lost.sent);
        }
    }

    @Test
    void aShortCommandOfALostConnectionNotStartedYetNeverStarts() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender lost = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(1, new CreateVolume()), lost);
            dispatcher.dispatch(request(2, new ReadyCommand()), lost); // queued behind the only command worker

            dispatcher.cancel(lost);
            handler.release.countDown();

            java.util.concurrent.CountDownLatch after = new java.util.concurrent.CountDownLatch(1);
            dispatcher.workersFor(new ReadyCommand()).execute(after::countDown);
            assertTrue(after.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, handler.started("ReadyCommand").getCount(), "the queued command never ran");
        }
    }

    @Test
    void anotherConnectionsCommandsAreNotTouched() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender lost = new RecordingSender();
        RecordingSender current = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(7, new SlowCopy()), current);

            dispatcher.cancel(lost);
            handler.release.countDown();

            Await.until("the answer is sent", () -> !current.sent.isEmpty());
            assertEquals(new io.rbdstack.spi.agent.Response(7, GenericAnswer.ok()), current.sent.get(0));
            assertTrue(handler.interrupted.isEmpty());
        }
    }

    /** Runs the dispatcher's stop on a thread of its own (it blocks for up to the grace), timing it. */
    private static final class Stop {
        final java.util.concurrent.CompletableFuture<java.util.List<String>> outlasted;
        final long startedNanos = System.nanoTime();

        Stop(CommandDispatcher dispatcher, java.time.Duration grace) {
            outlasted = java.util.concurrent.CompletableFuture.supplyAsync(() -> dispatcher.stop(grace));
        }

        java.util.List<String> await() throws Exception {
            return outlasted.get(15, java.util.concurrent.TimeUnit.SECONDS);
        }

        long millis() {
            return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }
    }

    private static java.util.List<io.rbdstack.spi.agent.Response> responses(RecordingSender session) {
        return session.sent.stream().filter(m -> m instanceof io.rbdstack.spi.agent.Response)
                .map(m -> (io.rbdstack.spi.agent.Response) m).toList();
    }

    @Test
    void aShortCommandRunningWhenTheStopBeginsFinishesAndItsAnswerIsSent() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender session = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(1, new CreateVolume()), session);

            Stop stop = new Stop(dispatcher, java.time.Duration.ofSeconds(10));
            Thread.sleep(200); // an interrupt, if any, would have reached the handler by now
            assertTrue(handler.interrupted.isEmpty(), "not interrupted mid-way");
            assertFalse(stop.outlasted.isDone(), "the stop waits for it");
            handler.release.countDown();

            assertEquals(java.util.List.of(), stop.await(), "nothing outlasted the grace");
            assertTrue(stop.millis() < 5000, "the stop ended when the command did, not at the grace: " + stop.millis());
            assertEquals(java.util.Set.of("CreateVolume"), handler.finished);
            assertEquals(java.util.List.of(new io.rbdstack.spi.agent.Response(1, GenericAnswer.ok())), responses(session));
        }
    }

    @Test
    void aTransferIsInterruptedAtOnceByTheStopAndAnsweredAsStoppedByTheAgent() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender session = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(3, new SlowCopy()), session);

            Stop stop = new Stop(dispatcher, java.time.Duration.ofSeconds(10));

            assertEquals(java.util.List.of(), stop.await(), "the transfer ended within the grace");
            assertTrue(stop.millis() < 5000, "at once, not after the grace: " + stop.millis() + " ms");
            assertEquals(java.util.Set.of("SlowCopy"), handler.interrupted);
            java.util.List<io.rbdstack.spi.agent.Response> answers = responses(session);
            assertEquals(1, answers.size(), answers.toString());
            assertEquals(3, answers.get(0).requestId());
            assertFalse(answers.get(0).answer().success());
            assertEquals("the agent stopped (TERM/INT) while running SlowCopy, which was interrupted before it completed;"
                    + " run it again once the agent is back", answers.get(0).answer().details());
        } finally {
            handler.release.countDown();
        }
    }

    @Test
    void aCommandArrivingOrQueuedAfterTheStopBeganIsRefusedUnrun() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender session = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(1, new CreateVolume()), session);
            dispatcher.dispatch(request(2, new ReadyCommand()), session); // queued behind the only command worker

            Stop stop = new Stop(dispatcher, java.time.Duration.ofSeconds(10));
            Await.until("the queued command is refused", () -> responses(session).size() == 1);
            dispatcher.dispatch(request(4, new EchoCommand("late", 0)), session);
            handler.release.countDown();
            stop.await();

            assertEquals(1, handler.started("ReadyCommand").getCount(), "the queued command never ran");
            assertEquals(1, handler.started("EchoCommand").getCount(), "the late command never ran");
            assertEquals(java.util.List.of(
                    new io.rbdstack.spi.agent.Response(2, io.rbdstack.spi.agent.StoppingAnswer.of(
                            "the agent is stopping and did not run ReadyCommand")),
                    new io.rbdstack.spi.agent.Response(4, io.rbdstack.spi.agent.StoppingAnswer.of(
                            "the agent is stopping and did not run EchoCommand")),
                    new io.rbdstack.spi.agent.Response(1, GenericAnswer.ok())), responses(session));
        }
    }

    @Test
    void theGraceBoundsTheStopAndInterruptsWhatStillRunsNamingIt() throws Exception {
        BlockingHandler handler = new BlockingHandler(); // never released: a command that does not finish
        RecordingSender session = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(5, new CreateVolume()), session);

            Stop stop = new Stop(dispatcher, java.time.Duration.ofMillis(500));

            assertEquals(java.util.List.of("CreateVolume (request 5)"), stop.await());
            assertTrue(stop.millis() >= 450 && stop.millis() < 5000, "about the grace: " + stop.millis() + " ms");
            assertTrue(handler.anyEnded.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(java.util.Set.of("CreateVolume"), handler.interrupted);
            Thread.sleep(100); // an answer of the interrupted command would have been sent by now
            assertEquals(java.util.List.of(), responses(session), "no answer: the server resends what is safe to, as"
                    + " for a lost connection, instead of taking a failure as the command's verdict");
        } finally {
            handler.release.countDown();
        }
    }

    @Test
    void aTransferStillWindingDownAfterTheGraceIsNamedToo() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch interruptedAgain = new java.util.concurrent.CountDownLatch(1);
        CommandHandler drainsSlowly = command -> {
            started.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException first) {
                try {
                    Thread.sleep(30_000); // e.g. waiting for its reads in flight, past the grace
                } catch (InterruptedException second) {
                    interruptedAgain.countDown();
                }
            }
            return GenericAnswer.failure("interrupted");
        };
        RecordingSender session = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(drainsSlowly, 1)) {
            dispatcher.dispatch(request(8, new SlowCopy()), session);
            assertTrue(started.await(5, java.util.concurrent.TimeUnit.SECONDS));

            Stop stop = new Stop(dispatcher, java.time.Duration.ofMillis(300));

            assertEquals(java.util.List.of("SlowCopy (request 8)"), stop.await());
            assertTrue(interruptedAgain.await(5, java.util.concurrent.TimeUnit.SECONDS), "interrupted after the grace");
            Thread.sleep(100);
            assertEquals(1, responses(session).size(), "answered once, by the stop: " + session.sent);
        }
    }

    @Test
    void aSecondSignalEndsTheGraceAtOnce() throws Exception {
        BlockingHandler handler = new BlockingHandler();
        RecordingSender session = new RecordingSender();
        try (CommandDispatcher dispatcher = new CommandDispatcher(handler, 1)) {
            handler.runUntilStarted(dispatcher, request(6, new CreateVolume()), session);
            Stop stop = new Stop(dispatcher, java.time.Duration.ofSeconds(60));
            Thread.sleep(100);

            dispatcher.hurry();

            assertEquals(java.util.List.of("CreateVolume (request 6)"), stop.await());
            assertTrue(stop.millis() < 5000, "not the 60 s grace: " + stop.millis() + " ms");
            assertTrue(handler.anyEnded.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(java.util.Set.of("CreateVolume"), handler.interrupted);
            Thread.sleep(100); // an answer of the interrupted command would have been sent by now
            assertEquals(java.util.List.of(), responses(session), "no answer: the server resends what is safe to, as"
                    + " for a lost connection, instead of taking a failure as the command's verdict");
        } finally {
            handler.release.countDown();
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
