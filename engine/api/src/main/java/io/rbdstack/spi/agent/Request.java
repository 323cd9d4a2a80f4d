package io.rbdstack.spi.agent;

import java.util.Objects;

/**
 * Server → agent: run one command.
 *
 * @param requestId     unique within the connection; the {@link Response} repeats it
 * @param timeoutMillis how long the server waits for the answer; after that it has failed the
 *                      request and ignores a late response
 */
public record Request(long requestId, long timeoutMillis, AgentCommand command) implements AgentMessage {

    public Request {
        Objects.requireNonNull(command, "command");
    }
}
