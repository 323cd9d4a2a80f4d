package io.rbdstack.spi.agent.rbd;

import io.rbdstack.spi.agent.AgentCommand;

/** Remove the libvirt pool and secret of the pool with this uuid from this host; absent is fine. */
public record RemoveRbdPoolCommand(String poolUuid) implements AgentCommand {
}
