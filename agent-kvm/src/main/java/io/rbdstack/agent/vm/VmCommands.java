package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.vm.AttachDiskCommand;
import io.rbdstack.spi.agent.vm.DetachDiskCommand;
import io.rbdstack.spi.agent.vm.EnsureBridgeCommand;
import io.rbdstack.spi.agent.vm.PlugNicCommand;
import io.rbdstack.spi.agent.vm.QuiesceAnswer;
import io.rbdstack.spi.agent.vm.QuiesceVmCommand;
import io.rbdstack.spi.agent.vm.StartVmCommand;
import io.rbdstack.spi.agent.vm.StopVmCommand;
import io.rbdstack.spi.agent.vm.UnplugNicCommand;
import io.rbdstack.spi.agent.vm.VmNic;
import io.rbdstack.spi.agent.vm.VmPowerState;
import io.rbdstack.spi.agent.vm.VmStateAnswer;
import io.rbdstack.spi.agent.vm.VmStatesAnswer;
import io.rbdstack.spi.agent.vm.VmStatesCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.libvirt.LibvirtException;

/**
 * The hypervisor commands (vm.*, network.ensureBridge) on this host: each turns the command into calls
 * of the small classes that do the work and their failures into answers that say what went wrong.
 */
final class VmCommands {

    /** Instance names become file names (the console log): no path separators. */
    private static final Pattern INSTANCE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final KvmDomains domains;
    private final DiskHotplug hotplug;
    private final NicHotplug nicHotplug;
    private final GuestAgent guestAgent;
    private final Bridges bridges;
    private final DiskResolver disks;
    private final OwnDomains own;
    private final HostFacts facts;
    private final VmSettings settings;

    VmCommands(KvmDomains domains, DiskHotplug hotplug, NicHotplug nicHotplug, GuestAgent guestAgent, Bridges bridges,
               DiskResolver disks, OwnDomains own, HostFacts facts, VmSettings settings) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.hotplug = Objects.requireNonNull(hotplug, "hotplug");
        this.nicHotplug = Objects.requireNonNull(nicHotplug, "nicHotplug");
        this.guestAgent = Objects.requireNonNull(guestAgent, "guestAgent");
        this.bridges = Objects.requireNonNull(bridges, "bridges");
        this.disks = Objects.requireNonNull(disks, "disks");
        this.own = Objects.requireNonNull(own, "own");
        this.facts = Objects.requireNonNull(facts, "facts");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    VmStateAnswer start(StartVmCommand command) {
        try {
            checkInstanceName(command.instanceName());
            for (VmNic nic : command.nics()) {
                bridges.ensure(nic.bridge(), nic.vlan(), nic.uplink());
            }
            String domainType = facts.virtType();
            Path consoleLog = settings.consoleLog(command.instanceName());
            Files.createDirectories(settings.consoleLogDir());
            String xml = DomainXml.domain(new DomainXml.Spec(domainType, command.instanceName(), command.vmUuid(),
                    new DomainOwner(own.hostUuid(), command.vmUuid()), command.cpus(), command.speedMhz(),
                    command.memoryMiB(),
                    disks.resolveAll(command.disks()), command.nics(), consoleLog));
            domains.start(command.instanceName(), command.vmUuid(), xml);
            return new VmStateAnswer(true, null, VmPowerState.POWER_ON, domainType, false, consoleLog.toString());
        } catch (LibvirtException | IOException | RuntimeException e) {
            return VmStateAnswer.failed(failure("cannot start VM " + command.vmUuid(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return VmStateAnswer.failed("cannot start VM " + command.vmUuid() + ": interrupted");
        }
    }

    VmStateAnswer stop(StopVmCommand command) {
        try {
            Duration grace = command.forced() ? Duration.ZERO : Duration.ofSeconds(Math.max(0, command.graceSeconds()));
            KvmDomains.Stopped stopped = domains.stop(command.instanceName(), grace);
            return new VmStateAnswer(true, null, VmPowerState.POWER_OFF, facts.virtType(), stopped.forced(), null);
        } catch (LibvirtException | RuntimeException e) {
            return VmStateAnswer.failed(failure("cannot stop VM " + command.vmUuid(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return VmStateAnswer.failed("cannot stop VM " + command.vmUuid() + ": interrupted");
        }
    }

    GenericAnswer attachDisk(AttachDiskCommand command) {
        try {
            hotplug.attach(command.instanceName(), disks.resolve(command.disk()));
            return GenericAnswer.ok();
        } catch (LibvirtException | RuntimeException e) {
            return GenericAnswer.failure(failure("cannot attach volume " + command.disk().volumeUuid() + " to VM "
                    + command.vmUuid(), e));
        }
    }

    GenericAnswer detachDisk(DetachDiskCommand command) {
        String what = "cannot detach volume " + command.disk().volumeUuid() + " from VM " + command.vmUuid();
        try {
            hotplug.detach(command.instanceName(), disks.resolve(command.disk()),
                    Duration.ofMillis(command.timeoutMillis()));
            return GenericAnswer.ok();
        } catch (LibvirtException | RuntimeException e) {
            return GenericAnswer.failure(failure(what, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GenericAnswer.failure(what + ": interrupted");
        }
    }

    GenericAnswer plugNic(PlugNicCommand command) {
        String what = "cannot plug NIC " + command.nic().mac() + " into VM " + command.vmUuid();
        try {
            bridges.ensure(command.nic().bridge(), command.nic().vlan(), command.nic().uplink());
            nicHotplug.plug(command.instanceName(), command.nic());
            return GenericAnswer.ok();
        } catch (LibvirtException | RuntimeException e) {
            return GenericAnswer.failure(failure(what, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GenericAnswer.failure(what + ": interrupted");
        }
    }

    GenericAnswer unplugNic(UnplugNicCommand command) {
        String what = "cannot unplug NIC " + command.nic().mac() + " from VM " + command.vmUuid();
        try {
            nicHotplug.unplug(command.instanceName(), command.nic(), Duration.ofMillis(command.timeoutMillis()));
            return GenericAnswer.ok();
        } catch (LibvirtException | RuntimeException e) {
            return GenericAnswer.failure(failure(what, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GenericAnswer.failure(what + ": interrupted");
        }
    }

    VmStatesAnswer states(VmStatesCommand command) {
        try {
            return new VmStatesAnswer(true, null, domains.states());
        } catch (LibvirtException | RuntimeException e) {
            return new VmStatesAnswer(false, failure("cannot list this host's VMs", e), null);
        }
    }

    QuiesceAnswer quiesce(QuiesceVmCommand command) {
        try {
            return guestAgent.quiesce(command.instanceName(), command.freeze(),
                    Duration.ofMillis(command.timeoutMillis()));
        } catch (LibvirtException | RuntimeException e) {
            return new QuiesceAnswer(false, failure("cannot " + (command.freeze() ? "freeze" : "thaw") + " VM "
                    + command.vmUuid(), e), false, 0);
        }
    }

    GenericAnswer ensureBridge(EnsureBridgeCommand command) {
        try {
            bridges.ensure(command.bridge(), command.vlan(), command.uplink());
            return GenericAnswer.ok();
        } catch (RuntimeException e) {
            return GenericAnswer.failure(failure("cannot set up bridge " + command.bridge(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GenericAnswer.failure("cannot set up bridge " + command.bridge() + ": interrupted");
        }
    }

    private static void checkInstanceName(String name) {
        if (name == null || !INSTANCE_NAME.matcher(name).matches()) {
            throw new VmException("the instance name '" + name + "' is not a valid domain name (1-64 letters,"
                    + " digits, '_', '.', '-')");
        }
    }

    private static String failure(String what, Exception e) {
        return what + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }
}
