package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Stops the VM's domain: an ACPI power-off, then a forced one after {@code graceSeconds}; at once
 * when {@code forced}. A domain that is not there counts as stopped. Answered with
 * {@link VmStateAnswer}, whose {@code forced} says whether it had to be forced.
 */
@JsonTypeName("vm.stop")
public record StopVmCommand(String vmUuid, String instanceName, int graceSeconds, boolean forced)
        implements AgentCommand {
}
