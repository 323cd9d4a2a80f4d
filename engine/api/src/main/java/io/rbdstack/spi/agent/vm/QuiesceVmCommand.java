package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Freezes ({@code freeze}) or thaws the guest's file systems through its qemu-guest-agent. Answered
 * with {@link QuiesceAnswer}, which says plainly when the guest has no agent.
 */
@JsonTypeName("vm.quiesce")
public record QuiesceVmCommand(String vmUuid, String instanceName, boolean freeze, long timeoutMillis)
        implements AgentCommand {
}
