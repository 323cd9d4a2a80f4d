package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Remove the libvirt pool and secret of the pool with this uuid from this host; absent is fine. */
@JsonTypeName("rbd.removePool")
public record RemoveRbdPoolCommand(String poolUuid) implements AgentCommand {
}
