package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.vm.AttachDiskCommand;
import io.rbdstack.spi.agent.vm.DetachDiskCommand;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * attachVolume and detachVolume. The device slot is recorded first, under the VM's row lock (two
 * attaches cannot take one slot); a Running VM's host then hot-plugs the disk, and a failure there
 * gives the slot back. A Stopped VM changes in the database only: its next start plugs what it has.
 */
final class VolumeAttachments {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeAttachments.class);
    /** How long the agent waits for the guest to release a detached disk. */
    static final long DETACH_TIMEOUT_MILLIS = 30_000;
    private static final Duration SLACK = Duration.ofSeconds(30);

    private final Jdbc jdbc;
    private final VmRepository vms;
    private final VmVolumes vmVolumes;
    private final VolumeRepository volumes;
    private final VmAgent agent;
    private final VmSnapshotRepository vmSnapshots;

    VolumeAttachments(Jdbc jdbc, VmRepository vms, VmVolumes vmVolumes, VolumeRepository volumes, VmAgent agent,
                      VmSnapshotRepository vmSnapshots) {
        this.jdbc = jdbc;
        this.vms = vms;
        this.vmVolumes = vmVolumes;
        this.volumes = volumes;
        this.agent = agent;
        this.vmSnapshots = vmSnapshots;
    }

    /** attachVolume's request checks, with CloudStack's texts. */
    static void checkAttach(VolumeRepository.VolumeRow volume, VmRepository.VmRow vm) {
        if (vm.state() != VmState.Running && vm.state() != VmState.Stopped) {
            throw ApiException.invalidParameter("Please specify a VM that is either running or stopped.");
        }
        if (vm.zoneId() != volume.zoneId()) {
            throw ApiException.invalidParameter("Please specify a VM that is in the same zone as the volume.");
        }
        if (volume.attached()) {
            throw ApiException.invalidParameter("Please specify a volume that is not attached to any VM.");
        }
        if (!"ROOT".equals(volume.type()) && !"DATADISK".equals(volume.type())) {
            throw ApiException.invalidParameter("Please specify a volume with the valid type: ROOT or DATADISK");
        }
        if (volume.state() != io.rbdstack.server.volume.VolumeState.Ready) {
            throw ApiException.invalidParameter("Volume state must be in Allocated, Ready or in Uploaded state");
        }
        if (volume.accountId() != vm.accountId()) {
            throw ApiException.invalidParameter("Volume " + volume.name() + " and VM " + vm.label() + " belong to"
                    + " different accounts; a volume is attached to a VM of its own account");
        }
    }

    /** The job: records the slot, then hot-plugs on a Running VM's host. */
    VolumeRepository.VolumeRow attach(VolumeRepository.VolumeRow volume, VmRepository.VmRow vm,
                                      Optional<Long> deviceId) {
        int device = reserveSlot(volume, vm, deviceId);
        VmRepository.VmRow now = vms.findById(vm.id()).orElseThrow();
        if (now.state() == VmState.Running) {
            try {
                VmVolumes.VmVolume disk = disk(vm.id(), volume.uuid());
                agent.send(now.hostUuid(), now.hostName(), new AttachDiskCommand(now.uuid(), now.instanceName(),
                        disk.disk()), SLACK, GenericAnswer.class);
            } catch (ApiException e) {
                vmVolumes.detach(volume.id());
                throw new ApiException(e.errorCode(), e.csErrorCode(), "Failed to attach volume " + volume.name()
                        + " to VM " + now.name() + "; " + e.getMessage(), e);
            }
        }
        LOG.info("Attached volume {} to VM {} as device {}", volume.uuid(), vm.uuid(), device);
        return volumes.find(volume.uuid()).orElseThrow();
    }

    private int reserveSlot(VolumeRepository.VolumeRow volume, VmRepository.VmRow vm, Optional<Long> deviceId) {
        int[] device = new int[1];
        jdbc.transaction(() -> {
            vmVolumes.lockVm(vm.id());
            // a VM snapshot holds exactly the VM's volumes (one storage group): CloudStack refuses too
            if (vmSnapshots.countOfVm(vm.id()) > 0) {
                throw ApiException.invalidParameter("Unable to attach volume to VM " + vm.name() + "/" + vm.uuid()
                        + ", please specify a VM that does not have VM snapshots");
            }
            List<Integer> used = vmVolumes.of(vm.id()).stream().map(VmVolumes.VmVolume::deviceId).toList();
            if (deviceId.isPresent()) {
                device[0] = DeviceIds.requireFree(deviceId.get(), used);
            } else {
                device[0] = DeviceIds.next(used).orElseThrow(() -> ApiException.invalidParameter("The specified VM"
                        + " already has the maximum number of data disks (" + DeviceIds.MAX_DATA_DISKS
                        + ") attached. Please specify another VM."));
            }
            if (!vmVolumes.attach(volume.id(), vm.id(), device[0])) {
                throw ApiException.internal("This volume is already attached to a VM.", null);
            }
        });
        return device[0];
    }

    /** detachVolume's request checks. */
    static void checkDetach(VolumeRepository.VolumeRow volume, VmRepository.VmRow vm) {
        if (vm.state() != VmState.Running && vm.state() != VmState.Stopped && vm.state() != VmState.Destroyed) {
            throw ApiException.invalidParameter("Please specify a VM that is either running or stopped.");
        }
        if ("ROOT".equals(volume.type()) && vm.state() == VmState.Running) {
            throw ApiException.invalidParameter("Root volume detach can happen only when vm is in states: Stopped or"
                    + " Destroyed");
        }
    }

    /** The job: a Running VM's host unplugs the disk first (the guest must release it), then the slot is freed. */
    VolumeRepository.VolumeRow detach(VolumeRepository.VolumeRow volume, VmRepository.VmRow vm) {
        jdbc.transaction(() -> {
            vmVolumes.lockVm(vm.id());
            if (vmSnapshots.countOfVm(vm.id()) > 0) {
                throw ApiException.invalidParameter("Unable to detach volume, please specify a VM that does not have"
                        + " VM snapshots");
            }
        });
        VmRepository.VmRow now = vms.findById(vm.id()).orElseThrow();
        if (now.state() == VmState.Running) {
            try {
                agent.send(now.hostUuid(), now.hostName(), new DetachDiskCommand(now.uuid(), now.instanceName(),
                        disk(vm.id(), volume.uuid()).disk(), DETACH_TIMEOUT_MILLIS),
                        Duration.ofMillis(DETACH_TIMEOUT_MILLIS).plus(SLACK), GenericAnswer.class);
            } catch (ApiException e) {
                throw new ApiException(e.errorCode(), e.csErrorCode(), "Failed to detach volume " + volume.name()
                        + " from VM " + now.name() + "; " + e.getMessage(), e);
            }
        }
        vmVolumes.detach(volume.id());
        LOG.info("Detached volume {} from VM {}", volume.uuid(), vm.uuid());
        return volumes.find(volume.uuid()).orElseThrow();
    }

    private VmVolumes.VmVolume disk(long vmId, String volumeUuid) {
        return vmVolumes.of(vmId).stream().filter(d -> d.uuid().equals(volumeUuid)).findFirst()
                .orElseThrow(() -> ApiException.invalidParameter("The specified volume is not attached to a VM."));
    }
}
