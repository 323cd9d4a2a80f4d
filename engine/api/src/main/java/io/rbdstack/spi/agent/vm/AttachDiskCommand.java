package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Hot-plugs a disk into the VM's running domain; answered with a generic answer. */
@JsonTypeName("vm.attachDisk")
public record AttachDiskCommand(String vmUuid, String instanceName, VmDisk disk) implements AgentCommand {
}
