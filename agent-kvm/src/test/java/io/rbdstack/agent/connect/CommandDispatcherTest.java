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

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
