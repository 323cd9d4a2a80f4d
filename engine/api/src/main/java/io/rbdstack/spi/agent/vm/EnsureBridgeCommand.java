package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Makes sure the guest bridge exists on this host (idempotent): with a {@code vlan}, a bridge that
 * carries that VLAN tagged on {@code uplink}; without, the bridge as named, created empty when
 * missing. An existing bridge is used as it is. Answered with a generic answer.
 */
@JsonTypeName("network.ensureBridge")
public record EnsureBridgeCommand(String bridge, Integer vlan, String uplink) implements AgentCommand {
}
