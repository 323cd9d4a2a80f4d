package io.rbdstack.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void anExceptionFromTheHandlerBecomesAFailedAnswerWithItsMessage() {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> {
            throw new IllegalStateException("pool rbd2 is not defined");
        }, 1)) {
            assertEquals(GenericAnswer.failure("pool rbd2 is not defined"), dispatcher.run(new ReadyCommand()));
        }
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsClass() {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> {
            throw new UnsupportedOperationException();
        }, 1)) {
            assertEquals(GenericAnswer.failure("java.lang.UnsupportedOperationException"),
                    dispatcher.run(new ReadyCommand()));
        }
    }

    @Test
    void noAnswerIsAFailedAnswer() {
        try (CommandDispatcher dispatcher = new CommandDispatcher(command -> null, 1)) {
            assertEquals(GenericAnswer.failure("ReadyCommand produced no answer"), dispatcher.run(new ReadyCommand()));
        }
    }
}
