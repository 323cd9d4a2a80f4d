package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Which VMs run on this host? Answered with {@link VmStatesAnswer}: the domains this agent started
 * (several agents may share one libvirtd; each reports only its own).
 */
@JsonTypeName("vm.states")
public record VmStatesCommand() implements AgentCommand {
}
