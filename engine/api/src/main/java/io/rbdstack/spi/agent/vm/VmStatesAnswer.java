package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/** The VMs whose domains exist on this host, each with its power state. */
@JsonTypeName("vm.report")
public record VmStatesAnswer(boolean success, String details, List<VmReport> vms) implements Answer {

    /** One VM's domain on the host. */
    public record VmReport(String vmUuid, String instanceName, VmPowerState state) {
    }
}
