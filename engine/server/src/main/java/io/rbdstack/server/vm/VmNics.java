package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.network.GuestNic;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.vm.PlugNicCommand;
import io.rbdstack.spi.agent.vm.UnplugNicCommand;
import io.rbdstack.spi.agent.vm.VmNic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * addNicToVirtualMachine, removeNicFromVirtualMachine and updateDefaultNicForVirtualMachine. Each job
 * holds the VM's NIC lock ({@link VmNicLocks}, shared by the servers of one database) from its checks to its last database change, so a concurrent
 * change of the same VM's NICs waits and the guest's NICs and the database's list never part (a NIC made
 * default, or removed, while it was being unplugged or plugged). The checks and each database change run
 * in short transactions under the VM's row lock; the host's plug or unplug runs between them, outside any
 * transaction. A Stopped VM changes in the database only; a Running VM's host hot-plugs the NIC after it
 * is recorded (a failed plug removes it again) and unplugs it before it is removed. Either way the VM's
 * networks are synced afterwards, so Kea's reservations follow (a NIC moved to another network is a remove,
 * then an add). CloudStack's texts where it has them.
 */
final class VmNics {

    private static final Logger LOG = LoggerFactory.getLogger(VmNics.class);
    /** How long the agent waits for the guest to release an unplugged NIC. */
    static final long UNPLUG_TIMEOUT_MILLIS = 30_000;
    private static final Duration SLACK = Duration.ofSeconds(30);
    /** How long a NIC change waits for the one before it on the same VM: a few jobs of an unplug and its slack. */
    static final Duration NIC_LOCK_TIMEOUT = Duration.ofMinutes(3);

    private final Jdbc jdbc;
    private final VmRepository vms;
    private final VmVolumes vmVolumes;
    private final GuestNics nics;
    private final VmAgent agent;
    private final VmSnapshotRepository vmSnapshots;
    private final VmNicLocks locks;

    VmNics(Jdbc jdbc, VmRepository vms, VmVolumes vmVolumes, GuestNics nics, VmAgent agent,
           VmSnapshotRepository vmSnapshots, VmNicLocks locks) {
        this.locks = locks;
        this.jdbc = jdbc;
        this.vms = vms;
        this.vmVolumes = vmVolumes;
        this.nics = nics;
        this.agent = agent;
        this.vmSnapshots = vmSnapshots;
    }

    /** The request's checks, before the job: they run again under the VM's lock in it. */
    void checkAdd(VmRepository.VmRow vm, String networkUuid) {
        checkState(vm, "add a NIC to");
        checkNoVmSnapshots(vm, "NIC cannot be added to VM with VM Snapshots");
        checkNotOnNetwork(vm, networkUuid);
    }

    /** The job: the NIC is allocated (MAC, IPv4, the EUI-64 IPv6 address on a dual-stack network), then plugged. */
    GuestNic add(VmRepository.VmRow vm, String networkUuid, Optional<String> ipAddress, Optional<String> macAddress) {
        return locks.holding(vm.id(), () -> addHoldingTheNicLock(vm, networkUuid, ipAddress, macAddress));
    }

    private GuestNic addHoldingTheNicLock(VmRepository.VmRow vm, String networkUuid, Optional<String> ipAddress,
                                          Optional<String> macAddress) {
        GuestNic nic;
        try {
            nic = jdbc.inTransaction(() -> {
                vmVolumes.lockVm(vm.id());
                VmRepository.VmRow now = vms.findById(vm.id()).orElseThrow();
                checkAdd(now, networkUuid);
                return nics.allocate(vm.id(), vm.zoneId(), vm.accountId(), List.of(new GuestNics.NicRequest(
                        networkUuid, ipAddress.orElse(null), macAddress.orElse(null), "networkid", "ipaddress",
                        "macaddress"))).get(0);
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.internal("Unable to add a NIC to VM " + vm.label(), e);
        }
        VmRepository.VmRow now = vms.findById(vm.id()).orElseThrow();
        if (now.state() == VmState.Running) {
            try {
                agent.send(now.hostUuid(), now.hostName(), new PlugNicCommand(now.uuid(), now.instanceName(),
                        vmNic(nic)), SLACK, GenericAnswer.class);
            } catch (ApiException e) {
                underVmLock(vm, () -> {
                    nics.remove(vm.id(), nic.uuid());
                    return null;
                });
                nics.placementChanged(vm.id());
                throw new ApiException(e.errorCode(), e.csErrorCode(), "Unable to add NIC to VM " + now.name()
                        + " in network " + nic.networkName() + "; " + e.getMessage(), e);
            }
        }
        nics.placementChanged(vm.id());
        LOG.info("Added NIC {} ({}) on network {} to VM {}", nic.uuid(), nic.macAddress(), nic.networkUuid(), vm.uuid());
        return nic;
    }

    /** The request's checks: the NIC is the VM's and not its default one. */
    GuestNic checkRemove(VmRepository.VmRow vm, String nicUuid) {
        checkState(vm, "remove a NIC from");
        checkNoVmSnapshots(vm, "NIC cannot be removed from VM with VM Snapshots");
        GuestNic nic = nicOf(vm, nicUuid);
        if (nic.isDefault()) {
            throw ApiException.invalidParameter("Unable to remove nic from VM " + vm.label() + " in network "
                    + nic.networkName() + ", nic is default (parameter nicid); make another NIC the default first"
                    + " (updateDefaultNicForVirtualMachine)");
        }
        return nic;
    }

    /**
     * The job, holding the VM's NIC lock: the NIC is checked again, a Running VM's host unplugs it (the
     * guest must release it), then it is removed. A NIC the checks refuse now is left plugged.
     */
    void remove(VmRepository.VmRow vm, String nicUuid) {
        locks.holding(vm.id(), () -> {
            removeHoldingTheNicLock(vm, nicUuid);
            return null;
        });
    }

    private void removeHoldingTheNicLock(VmRepository.VmRow vm, String nicUuid) {
        VmRepository.VmRow now = underVmLock(vm, () -> vms.findById(vm.id()).orElseThrow());
        GuestNic nic = checkRemove(now, nicUuid);
        if (now.state() == VmState.Running) {
            try {
                agent.send(now.hostUuid(), now.hostName(), new UnplugNicCommand(now.uuid(), now.instanceName(),
                        vmNic(nic), UNPLUG_TIMEOUT_MILLIS), Duration.ofMillis(UNPLUG_TIMEOUT_MILLIS).plus(SLACK),
                        GenericAnswer.class);
            } catch (ApiException e) {
                throw new ApiException(e.errorCode(), e.csErrorCode(), "Unable to remove NIC " + nicUuid
                        + " from VM " + now.name() + "; " + e.getMessage(), e);
            }
        }
        underVmLock(vm, () -> {
            nics.remove(vm.id(), nicUuid);
            return null;
        });
        nics.placementChanged(vm.id());
        LOG.info("Removed NIC {} ({}) on network {} from VM {}", nicUuid, nic.macAddress(), nic.networkUuid(),
                vm.uuid());
    }

    /** The request's checks: the NIC is the VM's and not its default one already. */
    void checkDefault(VmRepository.VmRow vm, String nicUuid) {
        checkNoVmSnapshots(vm, "NIC cannot be updated for VM with VM Snapshots");
        if (vm.state() != VmState.Running && vm.state() != VmState.Stopped) {
            throw ApiException.invalidParameter("refusing to set default nic of VM " + vm.label() + ": it is "
                    + vm.state() + ", not Running or Stopped");
        }
        if (nicOf(vm, nicUuid).isDefault()) {
            throw ApiException.invalidParameter("refusing to set default nic because chosen nic is already the default"
                    + " (parameter nicid)");
        }
    }

    /** The job: the NIC becomes the default one in the database (the guest's own routes are its business). */
    void makeDefault(VmRepository.VmRow vm, String nicUuid) {
        locks.holding(vm.id(), () -> underVmLock(vm, () -> {
            checkDefault(vms.findById(vm.id()).orElseThrow(), nicUuid);
            nics.makeDefault(vm.id(), nicUuid);
            return null;
        }));
        LOG.info("NIC {} is now the default NIC of VM {}", nicUuid, vm.uuid());
    }

    /** Runs {@code work} in a short transaction holding the VM's row; an ApiException passes as it is. */
    private <T> T underVmLock(VmRepository.VmRow vm, Jdbc.TransactionWork<T> work) {
        try {
            return jdbc.inTransaction(() -> {
                vmVolumes.lockVm(vm.id());
                return work.run();
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.internal("Unable to change the NICs of VM " + vm.label(), e);
        }
    }

    private static void checkState(VmRepository.VmRow vm, String what) {
        if (vm.state() != VmState.Running && vm.state() != VmState.Stopped) {
            throw ApiException.invalidParameter("Unable to " + what + " VM " + vm.label() + ": it is " + vm.state()
                    + "; please specify a VM that is either running or stopped (parameter virtualmachineid)");
        }
    }

    private void checkNoVmSnapshots(VmRepository.VmRow vm, String text) {
        // a VM snapshot records the VM as it was, NICs included: CloudStack refuses too
        if (vmSnapshots.countOfVm(vm.id()) > 0) {
            throw ApiException.invalidParameter(text);
        }
    }

    private void checkNotOnNetwork(VmRepository.VmRow vm, String networkUuid) {
        if (nicsOf(vm).stream().anyMatch(n -> n.networkUuid().equals(networkUuid))) {
            throw ApiException.invalidParameter("A NIC already exists for VM:" + vm.instanceName() + " in network: "
                    + networkUuid + " (parameter networkid)");
        }
    }

    private GuestNic nicOf(VmRepository.VmRow vm, String nicUuid) {
        return nicsOf(vm).stream().filter(n -> n.uuid().equals(nicUuid)).findFirst().orElseThrow(() ->
                ApiException.invalidParameter("Unable to find a nic with id " + nicUuid + " on VM " + vm.label()
                        + " (parameter nicid)"));
    }

    private List<GuestNic> nicsOf(VmRepository.VmRow vm) {
        return nics.nicsOf(List.of(vm.id())).getOrDefault(vm.id(), List.of());
    }

    static VmNic vmNic(GuestNic nic) {
        return new VmNic(nic.deviceId(), nic.macAddress(), nic.bridge(), nic.vlan(), nic.uplink(), nic.ip4Address(),
                nic.ip6Address());
    }
}
