package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The commands every agent answers the same way: {@link ReadyCommand} and {@link EchoCommand}.
 * Everything else goes to the next handler.
 */
public final class BasicCommands implements CommandHandler {

    private final String hostname;
    private final Supplier<HostInfo> hostInfo;
    private final CommandHandler next;

    public BasicCommands(String hostname, Supplier<HostInfo> hostInfo, CommandHandler next) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.hostInfo = Objects.requireNonNull(hostInfo, "hostInfo");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** A handler that answers every command with "unsupported command X". */
    public static CommandHandler unsupported() {
        return command -> GenericAnswer.failure("unsupported command " + command.getClass().getSimpleName());
    }

    @Override
    public Answer handle(AgentCommand command) {
        if (command instanceof ReadyCommand) {
            return ReadyAnswer.ready(hostname, hostInfo.get());
        }
        if (command instanceof EchoCommand echo) {
            return echo(echo);
        }
        return next.handle(command);
    }

    private static Answer echo(EchoCommand echo) {
        try {
            Thread.sleep(echo.delayMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GenericAnswer.failure("interrupted");
        }
        return EchoAnswer.of(echo.text());
    }
}
