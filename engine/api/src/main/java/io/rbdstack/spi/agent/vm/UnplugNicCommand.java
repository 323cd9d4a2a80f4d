package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Unplugs the NIC with {@code nic}'s MAC from the VM's running domain. The guest releases it
 * asynchronously, so the answer (generic) comes once the interface has left the domain, or fails after
 * {@code timeoutMillis} saying the guest did not release it. A NIC not in the domain counts as unplugged.
 */
@JsonTypeName("vm.unplugNic")
public record UnplugNicCommand(String vmUuid, String instanceName, VmNic nic, long timeoutMillis)
        implements AgentCommand {
}
