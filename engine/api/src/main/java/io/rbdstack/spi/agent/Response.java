package io.rbdstack.spi.agent;

import java.util.Objects;

/** Agent → server: the answer to the {@link Request} with the same id. */
public record Response(long requestId, Answer answer) implements AgentMessage {

    public Response {
        Objects.requireNonNull(answer, "answer");
    }
}
