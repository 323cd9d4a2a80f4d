package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;

/** The answer to a {@link ReadyCommand}: the host as the agent sees it now. */
@JsonTypeName("ready")
public record ReadyAnswer(boolean success, String details, String hostname, HostInfo hostInfo)
        implements Answer {

    public static ReadyAnswer ready(String hostname, HostInfo hostInfo) {
        return new ReadyAnswer(true, null, hostname, hostInfo);
    }
}
