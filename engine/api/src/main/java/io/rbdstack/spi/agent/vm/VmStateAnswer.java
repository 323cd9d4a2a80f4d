package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * A VM's power state after a start or stop ({@link VmPowerState}), the libvirt domain type it runs
 * under (kvm, or qemu where the host has no KVM), whether a stop had to be forced, and where the
 * serial console is logged on the host.
 */
@JsonTypeName("vm.state")
public record VmStateAnswer(boolean success, String details, VmPowerState state, String domainType,
                            boolean forced, String consoleLogPath) implements Answer {

    public static VmStateAnswer failed(String details) {
        return new VmStateAnswer(false, details, null, null, false, null);
    }
}
