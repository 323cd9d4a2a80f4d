package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Unplugs a disk from the VM's running domain. The guest releases it asynchronously, so the answer
 * (generic) comes once the disk has left the domain, or fails after {@code timeoutMillis} saying the
 * guest did not release it.
 */
@JsonTypeName("vm.detachDisk")
public record DetachDiskCommand(String vmUuid, String instanceName, VmDisk disk, long timeoutMillis)
        implements AgentCommand {
}
