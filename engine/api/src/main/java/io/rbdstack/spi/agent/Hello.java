package io.rbdstack.spi.agent;

import java.util.Objects;

/**
 * Agent → server, the first message of every connection.
 *
 * @param hostToken the credential the management server issued for this host; never logged, so
 *                  {@link #toString()} masks it
 */
public record Hello(String hostToken, String hostname, String agentVersion, HostInfo hostInfo)
        implements AgentMessage {

    public Hello {
        Objects.requireNonNull(hostToken, "hostToken");
    }

    @Override
    public String toString() {
        return "Hello[hostToken=******, hostname=" + hostname + ", agentVersion=" + agentVersion
                + ", hostInfo=" + hostInfo + "]";
    }
}
