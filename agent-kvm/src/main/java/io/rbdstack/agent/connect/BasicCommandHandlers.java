package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import java.util.List;
import java.util.function.Supplier;

/** The commands every agent answers the same way: {@link ReadyCommand} and {@link EchoCommand}. */
public final class BasicCommandHandlers implements AgentCommandHandlerFactory {

    @Override
    public List<AgentCommandHandler<?>> create(AgentContext context) {
        return handlers(context.hostname(), context::hostInfo);
    }

    public static List<AgentCommandHandler<?>> handlers(String hostname, Supplier<HostInfo> hostInfo) {
        return List.of(
                AgentCommandHandler.of(ReadyCommand.class, ready -> ReadyAnswer.ready(hostname, hostInfo.get())),
                AgentCommandHandler.of(EchoCommand.class, BasicCommandHandlers::echo));
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
