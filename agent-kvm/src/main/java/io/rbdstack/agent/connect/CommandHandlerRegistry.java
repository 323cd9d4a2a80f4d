package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The agent's command handlers, one per command class, and the dispatch of each command to the
 * handler of its class. Two handlers for one class stop the agent at start: which one ran would
 * otherwise depend on the order of the class path.
 */
public final class CommandHandlerRegistry implements CommandHandler {

    private record Registered(AgentCommandHandler<?> handler, String source) {
    }

    private final Map<Class<?>, Registered> byType = new HashMap<>();

    private CommandHandlerRegistry() {
    }

    /** The handlers of every {@link AgentCommandHandlerFactory} that {@code loader} finds. */
    public static CommandHandlerRegistry load(ClassLoader loader, AgentContext context) {
        CommandHandlerRegistry registry = new CommandHandlerRegistry();
        for (AgentCommandHandlerFactory factory : ServiceLoader.load(AgentCommandHandlerFactory.class, loader)) {
            registry.register(factory.getClass().getName(), factory.create(context));
        }
        return registry;
    }

    /** The modules' handlers and the agent's own ({@code agentOwn}, e.g. its certificate's). */
    public static CommandHandlerRegistry load(ClassLoader loader, AgentContext context,
                                              List<? extends AgentCommandHandler<?>> agentOwn) {
        CommandHandlerRegistry registry = load(loader, context);
        registry.register("the agent itself", agentOwn);
        return registry;
    }

    /** A registry of just these handlers (tests, tools). */
    public static CommandHandlerRegistry of(List<? extends AgentCommandHandler<?>> handlers) {
        CommandHandlerRegistry registry = new CommandHandlerRegistry();
        registry.register("the given list", handlers);
        return registry;
    }

    private void register(String source, List<? extends AgentCommandHandler<?>> handlers) {
        for (AgentCommandHandler<?> handler : handlers) {
            Registered earlier = byType.putIfAbsent(handler.commandType(), new Registered(handler, source));
            if (earlier != null) {
                String sources = earlier.source().equals(source) ? "both from " + source
                        : "from " + earlier.source() + " and from " + source;
                throw new IllegalStateException("command " + describe(handler.commandType()) + " has two handlers, "
                        + sources + "; an agent runs each command with exactly one");
            }
        }
    }

    /** The command classes this agent runs. */
    public Set<Class<?>> commandTypes() {
        return Set.copyOf(byType.keySet());
    }

    @Override
    public Answer handle(AgentCommand command) {
        return handle(command, ProgressReporter.NONE);
    }

    @Override
    public Answer handle(AgentCommand command, ProgressReporter progress) {
        Registered registered = byType.get(command.getClass());
        if (registered == null) {
            return GenericAnswer.failure("this agent has no handler for command " + describe(command.getClass()));
        }
        return run(registered.handler(), command, progress);
    }

    private static <C extends AgentCommand> Answer run(AgentCommandHandler<C> handler, AgentCommand command,
                                                       ProgressReporter progress) {
        return handler.handle(handler.commandType().cast(command), progress);
    }

    /** {@code 'rbd.createImage' (CreateRbdImageCommand)}: the wire name the server knows and the class. */
    private static String describe(Class<?> type) {
        return AgentMessageTypes.wireName(type).map(name -> "'" + name + "' (" + type.getSimpleName() + ")")
                .orElse(type.getSimpleName());
    }
}
