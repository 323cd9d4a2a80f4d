package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Hot-plugs a NIC into the VM's running domain: its bridge is ensured first (as network.ensureBridge),
 * then the virtio interface with the NIC's MAC is attached (live only). A NIC with that MAC already in the
 * domain is left as it is (a retried plug). Answered with a generic answer.
 */
@JsonTypeName("vm.plugNic")
public record PlugNicCommand(String vmUuid, String instanceName, VmNic nic) implements AgentCommand {
}
