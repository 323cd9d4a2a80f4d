package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import java.util.List;

/**
 * Starts the VM on this host: ensures its bridges, then creates the domain (named
 * {@code instanceName}, uuid {@code vmUuid}) with its disks and NICs and a serial console log.
 * Answered with {@link VmStateAnswer} once the domain runs. A domain of that name already running on
 * this host is left running and reported (a retried start is harmless).
 */
@JsonTypeName("vm.start")
public record StartVmCommand(String vmUuid, String instanceName, int cpus, int speedMhz, int memoryMiB,
                             List<VmDisk> disks, List<VmNic> nics) implements AgentCommand {
}
