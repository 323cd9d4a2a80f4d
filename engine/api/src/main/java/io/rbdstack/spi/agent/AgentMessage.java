package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One line of the agent protocol. The set is closed (sealed): a new kind of message changes the
 * protocol, whereas new work for the agent is a new {@link AgentCommand}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = Rejected.class, name = "rejected"),
    @JsonSubTypes.Type(value = Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = Request.class, name = "request"),
    @JsonSubTypes.Type(value = Response.class, name = "response"),
    @JsonSubTypes.Type(value = CertificateRequest.class, name = "certificateRequest"),
    @JsonSubTypes.Type(value = CertificateIssued.class, name = "certificateIssued"),
    @JsonSubTypes.Type(value = Progress.class, name = "progress"),
    @JsonSubTypes.Type(value = StoppingNotice.class, name = "stopping"),
})
public sealed interface AgentMessage permits Hello, Welcome, Rejected, Ping, Pong, Request, Response,
        CertificateRequest, CertificateIssued, Progress, StoppingNotice {

    /** The longest line either side accepts, newline excluded (16 MiB); a longer one ends the connection. */
    int MAX_LINE_BYTES = 16 * 1024 * 1024;
}
