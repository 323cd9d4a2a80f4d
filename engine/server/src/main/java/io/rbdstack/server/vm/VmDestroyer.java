package io.rbdstack.server.vm;

import io.rbdstack.server.alert.AlertType;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeService;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * destroyVirtualMachine and recoverVirtualMachine: a destroyed VM is stopped and keeps its root volume
 * (recoverable); its data disks are detached and kept unless listed to be deleted. Expunging deletes
 * the root volume from its storage, releases the NICs and removes the VM. A root volume a client still has
 * open (a killed qemu's Ceph watch) does not hold the expunge up: the storage cleanup deletes it later.
 */
final class VmDestroyer {

    private static final Logger LOG = LoggerFactory.getLogger(VmDestroyer.class);

    private final VmRepository vms;
    private final VmVolumes vmVolumes;
    private final VolumeRepository volumeRows;
    private final VolumeService volumes;
    private final GuestNics nics;
    private final VmPower power;
    private final VmSnapshots snapshots;
    private final SettingsRepository settings;
    private final Alerts alerts;
    private final ActionEvents events;
    private final Function<Long, Optional<Caller>> ownerOf;

    VmDestroyer(VmRepository vms, VmVolumes vmVolumes, VolumeRepository volumeRows, VolumeService volumes,
                GuestNics nics, VmPower power, VmSnapshots snapshots, SettingsRepository settings, Alerts alerts,
                ActionEvents events, Function<Long, Optional<Caller>> ownerOf) {
        this.events = events;
        this.ownerOf = ownerOf;
        this.vms = vms;
        this.vmVolumes = vmVolumes;
        this.volumeRows = volumeRows;
        this.volumes = volumes;
        this.nics = nics;
        this.power = power;
        this.snapshots = snapshots;
        this.settings = settings;
        this.alerts = alerts;
    }

    /** Expunge and recover are for admins unless allow.user.expunge.recover.vm says users may too. */
    boolean mayExpungeOrRecover(Caller caller) {
        return caller.isRootAdmin() || caller.isDomainAdmin()
                || settings.bool(Setting.ALLOW_USER_EXPUNGE_RECOVER_VM);
    }

    /** The request part: who may expunge, and that each volume to delete is a data disk of the VM. */
    void checkDestroy(Caller caller, VmRepository.VmRow vm, boolean expunge, List<String> volumeIds) {
        if (expunge && !mayExpungeOrRecover(caller)) {
            throw ApiException.permissionDenied("Parameter expunge can be passed by Admin only. Or when the"
                    + " allow.user.expunge.recover.vm key is set.");
        }
        List<VmVolumes.VmVolume> disks = vmVolumes.of(vm.id());
        for (String id : volumeIds) {
            if (disks.stream().noneMatch(d -> d.uuid().equals(id) && VmVolumes.DATADISK.equals(d.type()))) {
                throw ApiException.invalidParameter("Volume " + id + " is not a data disk of VM " + vm.label()
                        + " (parameter volumeids)");
            }
        }
        if (vm.state() == VmState.Starting || vm.state() == VmState.Stopping) {
            throw ApiException.invalidParameter("VM " + vm.label() + " (" + vm.uuid() + ") is " + vm.state()
                    + "; destroy it once it is Running or Stopped");
        }
    }

    /**
     * The job: stops the VM (forced per vm.destroy.forcestop), deletes its VM snapshots (its data disks
     * leave it, so none could be reverted to), detaches its data disks (deleting those in {@code volumeIds}),
     * then Destroyed, or expunged with {@code expunge}.
     *
     * @return the VM afterwards; empty when it was expunged
     */
    java.util.Optional<VmRepository.VmRow> destroy(VmRepository.VmRow vm, boolean expunge, List<String> volumeIds) {
        if ((vm.state() == VmState.Destroyed || vm.state() == VmState.Expunging) && !expunge) {
            return java.util.Optional.of(vm);
        }
        VmRepository.VmRow stopped = power.stop(vm, settings.bool(Setting.VM_DESTROY_FORCESTOP));
        snapshots.deleteAllOf(stopped);
        for (VmVolumes.VmVolume disk : vmVolumes.of(vm.id())) {
            if (VmVolumes.DATADISK.equals(disk.type())) {
                vmVolumes.detach(disk.id());
                if (volumeIds.contains(disk.uuid())) {
                    volumes.delete(volumeRows.find(disk.uuid()).orElseThrow());
                }
            }
        }
        if (expunge) {
            expunge(vms.findById(vm.id()).orElseThrow());
            return java.util.Optional.empty();
        }
        if (stopped.state() == VmState.Stopped && !vms.move(stopped, VmState.Destroyed, null)) {
            throw ApiException.invalidParameter("VM " + vm.label() + " changed state meanwhile; try again");
        }
        // A destroyed VM's NICs keep their rows (recoverVirtualMachine) but lose their DHCPv6 reservations.
        nics.placementChanged(vm.id());
        return vms.findById(vm.id());
    }

    /** Deletes the root volume from its storage, releases the NICs and removes the VM; Error if that fails. */
    private void expunge(VmRepository.VmRow vm) {
        if (!vms.move(vm, VmState.Expunging, null)) {
            throw ApiException.invalidParameter("VM " + vm.label() + " changed state meanwhile; try again");
        }
        try {
            for (VmVolumes.VmVolume disk : vmVolumes.of(vm.id())) {
                if (!volumes.deleteWithItsVm(volumeRows.find(disk.uuid()).orElseThrow())) {
                    leftToCleanup(vm, disk);
                }
            }
            nics.release(vm.id());
            vms.markRemoved(vm.id());
            nics.placementChanged(vm.id());
            LOG.info("Expunged VM {} ({})", vm.name(), vm.uuid());
        } catch (RuntimeException e) {
            String reason = "Failed to expunge VM " + vm.uuid() + " due to: " + e.getMessage();
            vms.findById(vm.id()).ifPresent(now -> vms.move(now, VmState.Error, reason));
            alerts.failed(AlertType.USERVM, vm.uuid(), reason);
            throw ApiException.internal(reason, e);
        }
    }

    /** Says when a volume still open by a client (a killed qemu's watch) is deleted: the VM is expunged all the same. */
    private void leftToCleanup(VmRepository.VmRow vm, VmVolumes.VmVolume disk) {
        String description = "Volume " + disk.name() + " of expunged VM " + vm.label() + " is still open by a client"
                + " (Ceph keeps a dead client's watch for about 30 s): the storage cleanup deletes it once Ceph lets go,"
                + " at its first run after that (every " + settings.longValue(Setting.STORAGE_CLEANUP_INTERVAL)
                + " s)";
        LOG.info("{} ({})", description, disk.uuid());
        ownerOf.apply(vm.accountId()).ifPresent(owner -> events.happened(owner, "VOLUME.DELETE", EventLevel.INFO,
                description, new EventResource("Volume", disk.uuid())));
    }

    /** recoverVirtualMachine: a Destroyed VM is Stopped again, with its root volume. */
    VmRepository.VmRow recover(Caller caller, VmRepository.VmRow vm) {
        if (!mayExpungeOrRecover(caller)) {
            throw ApiException.permissionDenied("Recovering a vm can only be done by an Admin. Or when the"
                    + " allow.user.expunge.recover.vm key is set.");
        }
        if (vm.state() != VmState.Destroyed || !vms.move(vm, VmState.Stopped, null)) {
            throw ApiException.invalidParameter("Vm with id " + vm.uuid() + " is not in the right state");
        }
        nics.placementChanged(vm.id());
        return vms.findById(vm.id()).orElseThrow();
    }
}
