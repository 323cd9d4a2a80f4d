package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;

/**
 * Runs the commands the management server sends. Called on a worker thread, several at a time,
 * so it must be thread-safe; it may block (the heartbeat has its own thread). An exception it
 * throws becomes a failed {@link io.rbdstack.spi.agent.GenericAnswer} with the exception's message.
 */
@FunctionalInterface
public interface CommandHandler {

    Answer handle(AgentCommand command);

    /** Runs a command that may report its progress; by default it reports none. */
    default Answer handle(AgentCommand command, io.rbdstack.spi.agent.handler.ProgressReporter progress) {
        return handle(command);
    }
}
