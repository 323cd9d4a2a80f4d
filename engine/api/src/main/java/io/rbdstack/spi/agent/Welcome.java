package io.rbdstack.spi.agent;

import java.time.Duration;

/**
 * Server → agent: the hello was accepted. The interval is in milliseconds, not seconds, so a test
 * (or a lab) can run heartbeats well under a second.
 *
 * @param hostId                  the host's UUID in the management server
 * @param heartbeatIntervalMillis how often the agent must ping
 */
public record Welcome(String hostId, long heartbeatIntervalMillis) implements AgentMessage {

    public Welcome {
        if (heartbeatIntervalMillis <= 0) {
            throw new IllegalArgumentException("heartbeatIntervalMillis must be positive");
        }
    }

    public Duration heartbeatInterval() {
        return Duration.ofMillis(heartbeatIntervalMillis);
    }
}
