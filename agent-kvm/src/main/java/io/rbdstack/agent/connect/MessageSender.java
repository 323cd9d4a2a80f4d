package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.AgentMessage;
import java.io.IOException;

/** Where a request's progress and answer go: the connection it came on ({@link ServerSession}). */
interface MessageSender {

    /** Sends one message; fails once the connection is closed. */
    void send(AgentMessage message) throws IOException;
}
