package io.rbdstack.spi.agent.handler;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one command class on the agent; an agent has exactly one handler per command class. Called
 * on worker threads, several at a time, so it must be thread-safe; it may block (the heartbeat has
 * its own thread). A runtime exception it throws becomes a failed
 * {@link io.rbdstack.spi.agent.GenericAnswer} carrying the exception's message.
 */
public interface AgentCommandHandler<C extends AgentCommand> {

    Class<C> commandType();

    Answer handle(C command);

    /**
     * Runs a command that may report its progress; a handler of a short command need not: by default
     * this is {@link #handle(AgentCommand)}.
     */
    default Answer handle(C command, ProgressReporter progress) {
        return handle(command);
    }

    /** A handler that answers commands of {@code commandType} with {@code run}, e.g. a method reference. */
    static <C extends AgentCommand> AgentCommandHandler<C> of(Class<C> commandType,
                                                             Function<? super C, ? extends Answer> run) {
        Objects.requireNonNull(run, "run");
        return withProgress(commandType, (command, progress) -> run.apply(command));
    }

    /** A handler of a long command that reports its progress as {@code run} goes, e.g. a copy of a volume. */
    static <C extends AgentCommand> AgentCommandHandler<C> withProgress(Class<C> commandType,
            BiFunction<? super C, ProgressReporter, ? extends Answer> run) {
        Objects.requireNonNull(commandType, "commandType");
        Objects.requireNonNull(run, "run");
        return new AgentCommandHandler<>() {
            @Override
            public Class<C> commandType() {
                return commandType;
            }

            @Override
            public Answer handle(C command) {
                return run.apply(command, ProgressReporter.NONE);
            }

            @Override
            public Answer handle(C command, ProgressReporter progress) {
                return run.apply(command, progress);
            }

            @Override
            public String toString() {
                return "handler of " + commandType.getName();
            }
        };
    }
}
