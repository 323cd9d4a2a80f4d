package io.rbdstack.agent.vm;

import static io.rbdstack.spi.agent.handler.AgentCommandHandler.of;

import io.rbdstack.agent.HostIdentity;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtRbdPools;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import io.rbdstack.spi.agent.vm.AttachDiskCommand;
import io.rbdstack.spi.agent.vm.DetachDiskCommand;
import io.rbdstack.spi.agent.vm.EnsureBridgeCommand;
import io.rbdstack.spi.agent.vm.PlugNicCommand;
import io.rbdstack.spi.agent.vm.QuiesceVmCommand;
import io.rbdstack.spi.agent.vm.StartVmCommand;
import io.rbdstack.spi.agent.vm.StopVmCommand;
import io.rbdstack.spi.agent.vm.UnplugNicCommand;
import io.rbdstack.spi.agent.vm.VmStatesCommand;
import java.util.List;

/**
 * The hypervisor commands on the KVM agent, from its {@link LibvirtConnection}, {@link HostFacts},
 * {@link HostIdentity} and {@link VmSettings} services; the bridges through {@code ip link}.
 */
public final class VmCommandHandlers implements AgentCommandHandlerFactory {

    @Override
    public List<AgentCommandHandler<?>> create(AgentContext context) {
        return handlers(context.service(LibvirtConnection.class), context.service(HostFacts.class),
                context.service(HostIdentity.class), context.service(VmSettings.class), Links.sysfs());
    }

    public static List<AgentCommandHandler<?>> handlers(LibvirtConnection libvirt, HostFacts facts,
                                                        HostIdentity identity, VmSettings settings, Links links) {
        OwnDomains own = new OwnDomains(identity::hostUuid);
        VmCommands commands = new VmCommands(new KvmDomains(libvirt, own, settings.poll()),
                new DiskHotplug(libvirt, own, settings.poll()), new NicHotplug(libvirt, own, settings.poll()),
                new GuestAgent(libvirt, own), new Bridges(links),
                new DiskResolver(new LibvirtRbdPools(libvirt)), own, facts, settings);
        return List.of(
                of(StartVmCommand.class, commands::start),
                of(StopVmCommand.class, commands::stop),
                of(AttachDiskCommand.class, commands::attachDisk),
                of(DetachDiskCommand.class, commands::detachDisk),
                of(VmStatesCommand.class, commands::states),
                of(QuiesceVmCommand.class, commands::quiesce),
                of(EnsureBridgeCommand.class, commands::ensureBridge),
                of(PlugNicCommand.class, commands::plugNic),
                of(UnplugNicCommand.class, commands::unplugNic));
    }
}
