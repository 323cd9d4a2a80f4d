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

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
