package io.rbdstack.spi.agent.vm;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/** The hypervisor messages: the engine's VM code sends them, a hypervisor agent runs them. */
public final class VmMessageTypes implements AgentMessageTypes {

    @Override
    public List<Class<? extends AgentCommand>> commands() {
        return List.of(StartVmCommand.class, StopVmCommand.class, AttachDiskCommand.class, DetachDiskCommand.class,
                VmStatesCommand.class, QuiesceVmCommand.class, EnsureBridgeCommand.class, PlugNicCommand.class,
                UnplugNicCommand.class);
    }

    @Override
    public List<Class<? extends Answer>> answers() {
        return List.of(VmStateAnswer.class, VmStatesAnswer.class, QuiesceAnswer.class);
    }
}
