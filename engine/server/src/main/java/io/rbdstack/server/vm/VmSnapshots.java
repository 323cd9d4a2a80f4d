package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.snapshot.SnapshotQuiesce;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeState;
import io.rbdstack.server.volume.VolumeStorage;
import io.rbdstack.spi.storage.GroupSnapshotInfo;
import io.rbdstack.spi.storage.StorageException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VM snapshots: disk-only snapshots of all of a VM's volumes at one instant, as one storage group snapshot
 * (group = the VM's uuid, snapshot = the VM snapshot's uuid), so every volume must be on one pool. Each
 * command checks in its request what it can, and its job checks again under the VM's row lock before
 * anything moves. While a job works, the VM's volumes are Snapshotting or RevertSnapshotting, so the VM
 * cannot start and no volume snapshot, resize or delete runs under it.
 */
final class VmSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(VmSnapshots.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** A taken snapshot and how consistent it is. */
    record Taken(VmSnapshotRepository.VmSnapshotRow snapshot, String consistency) {
    }

    private final Jdbc jdbc;
    private final VmRepository vms;
    private final VmVolumes vmVolumes;
    private final VmSnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final GuestQuiesce quiesce;
    private final SettingsRepository settings;

    VmSnapshots(Jdbc jdbc, VmRepository vms, VmVolumes vmVolumes, VmSnapshotRepository snapshots,
                VolumeRepository volumes, StoragePoolRepository pools, StoragePoolService poolService,
                GuestQuiesce quiesce, SettingsRepository settings) {
        this.jdbc = jdbc;
        this.vms = vms;
        this.vmVolumes = vmVolumes;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.pools = pools;
        this.poolService = poolService;
        this.quiesce = quiesce;
        this.settings = settings;
    }

    // ---- createVMSnapshot

    /** createVMSnapshot's request part: the checks CloudStack makes, then the row, Allocated. */
    VmSnapshotRepository.VmSnapshotRow allocate(VmRepository.VmRow vm, Optional<String> displayName,
                                                Optional<String> description) {
        String uuid = UUID.randomUUID().toString();
        String name = vm.instanceName() + "_VS_" + NAME_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String shown = displayName.filter(n -> !n.isBlank()).orElse(name);
        jdbc.transaction(() -> {
            vmVolumes.lockVm(vm.id());
            VmRepository.VmRow now = liveVm(vm.id());
            requireRunningOrStopped(now);
            List<VmSnapshotRepository.VmSnapshotRow> existing = snapshots.ofVm(vm.id());
            requireNoActiveTask(existing, Optional.empty());
            long max = settings.longValue(Setting.VM_SNAPSHOT_MAX);
            if (existing.size() >= max) {
                throw ApiException.internal("Creating vm snapshot failed due to a VM can just have : " + max
                        + " VM snapshots. Please delete old ones", null);
            }
            if (existing.stream().anyMatch(s -> s.displayName().equals(shown))) {
                throw ApiException.invalidParameter("Creating VM snapshot failed due to VM snapshot with name " + shown
                        + " already exists (parameter name)");
            }
            long poolId = onePool(now, vmVolumes.of(vm.id()));
            snapshots.insert(uuid, name, shown, description.orElse(null), now, poolId, now.uuid());
        });
        return snapshots.find(uuid).orElseThrow();
    }

    /**
     * createVMSnapshot's job: the volumes go Snapshotting, a running guest's file systems are frozen (when it
     * has a guest agent) around the group snapshot, and the snapshot is Ready and current. A failure leaves it
     * in Error (deleteVMSnapshot removes it) and the storage without a partial snapshot.
     */
    Taken take(String uuid, boolean quiesceRequired) {
        VmSnapshotRepository.VmSnapshotRow snapshot = find(uuid);
        List<VmVolumes.VmVolume> disks = new ArrayList<>();
        VmRepository.VmRow vm;
        try {
            vm = jdbc.inTransaction(() -> {
                vmVolumes.lockVm(snapshot.vmId());
                VmRepository.VmRow now = liveVm(snapshot.vmId());
                requireRunningOrStopped(now);
                disks.addAll(vmVolumes.of(now.id()));
                onePool(now, disks);
                if (!snapshots.move(snapshot, VmSnapshotState.Creating, null)) {
                    throw changedMeanwhile(snapshot);
                }
                for (VmVolumes.VmVolume disk : disks) {
                    if (!volumes.move(disk.id(), VolumeState.Ready, VolumeState.Snapshotting)) {
                        throw ApiException.invalidParameter("Create VM snapshot failed due to volume " + disk.name()
                                + " of VM " + now.label() + " being " + disk.state() + ", not Ready; try again later");
                    }
                }
                return now;
            });
        } catch (Exception e) {
            ApiException failure = e instanceof ApiException api ? api : ApiException.internal("VM snapshot "
                    + snapshot.displayName() + " was not taken", e);
            find(uuid, snapshot.state()).ifPresent(now -> snapshots.move(now, VmSnapshotState.Error,
                    failure.getMessage()));
            throw failure;
        }
        try {
            return takeOnStorage(snapshot, vm, disks, quiesceRequired);
        } finally {
            for (VmVolumes.VmVolume disk : disks) {
                volumes.move(disk.id(), VolumeState.Snapshotting, VolumeState.Ready);
            }
        }
    }

    private Taken takeOnStorage(VmSnapshotRepository.VmSnapshotRow snapshot, VmRepository.VmRow vm,
                                List<VmVolumes.VmVolume> disks, boolean quiesceRequired) {
        VolumeStorage storage = storage(snapshot);
        SnapshotQuiesce.Quiesced<GroupSnapshotInfo> taken;
        try {
            taken = quiesce.around(vm, quiesceRequired, () -> storage.provider().createGroupSnapshot(storage.stored(),
                    snapshot.storageGroup(), disks.stream().map(VmVolumes.VmVolume::path).toList(),
                    snapshot.storageSnapshot()));
        } catch (StorageException | RuntimeException e) {
            ApiException failure = StorageErrors.failed("VM snapshot " + snapshot.displayName() + " of VM "
                    + vm.label() + " was not taken", e);
            failed(snapshot, storage, failure);
            throw failure;
        }
        Map<String, Long> ids = disks.stream().collect(Collectors.toMap(VmVolumes.VmVolume::path,
                VmVolumes.VmVolume::id));
        snapshots.taken(snapshot.id(), vm.id(), taken.frozen(), taken.result().volumes().stream().map(v -> new
                VmSnapshotRepository.HeldVolume(ids.get(v.volumePath()), v.volumePath(), v.sizeBytes())).toList());
        LOG.info("Took VM snapshot {} ({}) of VM {} ({}): {}", snapshot.displayName(), snapshot.uuid(), vm.name(),
                vm.uuid(), taken.consistency());
        if (taken.thawFailure() != null) {
            throw taken.thawFailure();
        }
        return new Taken(find(snapshot.uuid()), taken.consistency());
    }

    /** A failed take: Error with the reason, and no partial snapshot left on the storage. */
    private void failed(VmSnapshotRepository.VmSnapshotRow snapshot, VolumeStorage storage, ApiException failure) {
        try {
            storage.provider().deleteGroupSnapshot(storage.stored(), snapshot.storageGroup(),
                    snapshot.storageSnapshot());
        } catch (StorageException | RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
        find(snapshot.uuid(), VmSnapshotState.Creating).ifPresent(now -> snapshots.move(now, VmSnapshotState.Error,
                failure.getMessage()));
    }

    // ---- revertToVMSnapshot

    /** revertToVMSnapshot's request part (and its job's, under the VM's lock): CloudStack's checks. */
    void checkRevert(VmSnapshotRepository.VmSnapshotRow snapshot, VmRepository.VmRow vm) {
        if (vm.state() != VmState.Running && vm.state() != VmState.Stopped) {
            throw ApiException.invalidParameter("VM Snapshot reverting failed due to vm is not in the state of"
                    + " Running or Stopped.");
        }
        if (vm.state() == VmState.Running) {
            throw ApiException.invalidParameter("Reverting to the VM Snapshot is not allowed for running VMs as this"
                    + " would result in a VM state change. For running VMs only Snapshots with memory can be"
                    + " reverted. In order to revert to a Snapshot without memory you need to first stop the VM.");
        }
        requireNoActiveTask(snapshots.ofVm(vm.id()), Optional.empty());
        if (snapshot.state() != VmSnapshotState.Ready) {
            throw ApiException.invalidParameter("VM Snapshot reverting failed due to vm snapshot is not in Created"
                    + " state.");
        }
    }

    /** The job: every volume goes back to its content and size in the snapshot, which becomes current. */
    VmRepository.VmRow revert(String uuid) {
        VmSnapshotRepository.VmSnapshotRow snapshot = find(uuid);
        List<VmSnapshotRepository.HeldVolume> held = snapshots.volumesOf(snapshot.id());
        List<VolumeRepository.VolumeRow> before = new ArrayList<>();
        jdbc.transaction(() -> {
            vmVolumes.lockVm(snapshot.vmId());
            VmSnapshotRepository.VmSnapshotRow now = find(uuid);
            checkRevert(now, liveVm(snapshot.vmId()));
            if (!snapshots.move(now, VmSnapshotState.Reverting, null)) {
                throw changedMeanwhile(now);
            }
            for (VmSnapshotRepository.HeldVolume volume : held) {
                VolumeRepository.VolumeRow row = volumes.find(volume.volumeUuid()).orElseThrow(() ->
                        ApiException.invalidParameter("Volume " + volume.volumeUuid() + " of VM snapshot "
                                + now.displayName() + " is deleted"));
                if (!volumes.move(row.id(), VolumeState.Ready, VolumeState.RevertSnapshotting)) {
                    throw ApiException.invalidParameter("VM Snapshot reverting failed due to volume " + row.name()
                            + " being " + row.state() + ", not Ready; try again later");
                }
                before.add(row);
            }
        });
        VolumeStorage storage = storage(snapshot);
        Function<VolumeRepository.VolumeRow, Long> sizeThen = v -> held.stream().filter(h -> h.volumeId() == v.id())
                .findFirst().orElseThrow().sizeBytes();
        boolean reverted = false;
        try {
            storage.provider().revertGroupSnapshot(storage.stored(), snapshot.storageGroup(),
                    snapshot.storageSnapshot());
            reverted = true;
        } catch (StorageException | RuntimeException e) {
            throw StorageErrors.failed("VM " + snapshot.vmName() + " was not reverted to VM snapshot "
                    + snapshot.displayName(), e);
        } finally {
            for (VolumeRepository.VolumeRow volume : before) {
                volumes.moveToReady(volume.id(), VolumeState.RevertSnapshotting, volume.path(),
                        reverted ? sizeThen.apply(volume) : volume.sizeBytes(), volume.offeringId());
            }
            VmSnapshotRepository.VmSnapshotRow now = find(uuid);
            snapshots.move(now, VmSnapshotState.Ready, null);
            if (reverted) {
                snapshots.makeCurrent(now.id(), now.vmId());
            }
        }
        LOG.info("Reverted VM {} ({}) to VM snapshot {} ({})", snapshot.vmName(), snapshot.vmUuid(),
                snapshot.displayName(), snapshot.uuid());
        return liveVm(snapshot.vmId());
    }

    // ---- deleteVMSnapshot

    /** deleteVMSnapshot's request part (and its job's): CloudStack's checks. */
    void checkDelete(VmSnapshotRepository.VmSnapshotRow snapshot) {
        if (!snapshot.state().deletable()) {
            throw ApiException.invalidParameter("Can't delete the vm snapshot " + snapshot.displayName() + " due to it"
                    + " is not in Created or Error, or Expunging State");
        }
        requireNoActiveTask(snapshots.ofVm(snapshot.vmId()), Optional.of(snapshot.id()));
    }

    /** The job: the group snapshot goes, then the group when no snapshot of the VM is left, then the row. */
    void delete(String uuid) {
        jdbc.transaction(() -> {
            vmVolumes.lockVm(find(uuid).vmId());
            VmSnapshotRepository.VmSnapshotRow now = find(uuid);
            checkDelete(now);
            if (!snapshots.move(now, VmSnapshotState.Expunging, null)) {
                throw changedMeanwhile(now);
            }
        });
        deleteFromStorage(find(uuid));
    }

    /**
     * destroyVirtualMachine's first step: every snapshot of the VM is deleted (the data disks leave the VM,
     * so none could be reverted to any more), then its group: no storage state is left behind.
     */
    void deleteAllOf(VmRepository.VmRow vm) {
        List<VmSnapshotRepository.VmSnapshotRow> all = snapshots.ofVm(vm.id());
        for (VmSnapshotRepository.VmSnapshotRow snapshot : all) {
            if (snapshot.state() == VmSnapshotState.Creating || snapshot.state() == VmSnapshotState.Reverting) {
                throw ApiException.invalidParameter("VM snapshot " + snapshot.displayName() + " of VM " + vm.label()
                        + " is " + snapshot.state() + "; destroy the VM when that is done");
            }
        }
        for (VmSnapshotRepository.VmSnapshotRow snapshot : all) {
            if (!snapshots.move(snapshot, VmSnapshotState.Expunging, "the VM is destroyed")) {
                throw changedMeanwhile(snapshot);
            }
            deleteFromStorage(find(snapshot.uuid()));
        }
    }

    private void deleteFromStorage(VmSnapshotRepository.VmSnapshotRow snapshot) {
        VolumeStorage storage = storage(snapshot);
        try {
            storage.provider().deleteGroupSnapshot(storage.stored(), snapshot.storageGroup(),
                    snapshot.storageSnapshot());
            boolean last = snapshots.ofVm(snapshot.vmId()).stream().allMatch(s -> s.id() == snapshot.id());
            if (last) {
                storage.provider().deleteGroup(storage.stored(), snapshot.storageGroup());
            }
        } catch (StorageException | RuntimeException e) {
            ApiException failure = StorageErrors.failed("VM snapshot " + snapshot.displayName() + " was not deleted",
                    e);
            snapshots.move(snapshot, VmSnapshotState.Expunging, failure.getMessage());
            throw failure;
        }
        snapshots.removed(snapshot);
        LOG.info("Deleted VM snapshot {} ({}) of VM {} ({})", snapshot.displayName(), snapshot.uuid(),
                snapshot.vmName(), snapshot.vmUuid());
    }

    // ---- shared checks

    private static void requireRunningOrStopped(VmRepository.VmRow vm) {
        if (vm.state() != VmState.Running && vm.state() != VmState.Stopped) {
            throw ApiException.invalidParameter("Creating VM snapshot failed due to VM:" + vm.uuid() + " is not in"
                    + " Running or Stopped state");
        }
    }

    /** CloudStack's rule: one VM snapshot task at a time per VM ({@code except}: the one being deleted again). */
    private static void requireNoActiveTask(List<VmSnapshotRepository.VmSnapshotRow> ofVm, Optional<Long> except) {
        if (ofVm.stream().anyMatch(s -> s.state().busy() && except.filter(id -> id == s.id()).isEmpty())) {
            throw ApiException.invalidParameter("There is other active vm snapshot tasks on the instance, please try"
                    + " again later");
        }
    }

    /** The one pool all of the VM's volumes are on: a group snapshot cannot span pools. */
    private static long onePool(VmRepository.VmRow vm, List<VmVolumes.VmVolume> disks) {
        List<Long> poolIds = disks.stream().map(VmVolumes.VmVolume::poolId).distinct().toList();
        if (disks.isEmpty() || poolIds.contains(null)) {
            throw ApiException.invalidParameter("Create VM snapshot failed because VM " + vm.label()
                    + " has a volume that is not on primary storage");
        }
        if (poolIds.size() > 1) {
            throw ApiException.invalidParameter("VM " + vm.label() + " has volumes on " + poolIds.size()
                    + " storage pools (" + disks.stream().map(d -> d.name() + " on pool " + d.poolUuid())
                    .collect(Collectors.joining(", ")) + "): a VM snapshot takes all volumes at one instant"
                    + " as one storage group snapshot, so they must all be on one pool");
        }
        return poolIds.get(0);
    }

    private VmRepository.VmRow liveVm(long vmId) {
        return vms.findById(vmId).orElseThrow(() -> ApiException.invalidParameter("The VM of the VM snapshot is"
                + " expunged"));
    }

    private VmSnapshotRepository.VmSnapshotRow find(String uuid) {
        return snapshots.find(uuid).orElseThrow(() -> ApiException.invalidParameter("Unable to find the VM snapshot"
                + " with id " + uuid));
    }

    private Optional<VmSnapshotRepository.VmSnapshotRow> find(String uuid, VmSnapshotState in) {
        return snapshots.find(uuid).filter(s -> s.state() == in);
    }

    private VolumeStorage storage(VmSnapshotRepository.VmSnapshotRow snapshot) {
        return VolumeStorage.of(snapshot.poolId(), pools, poolService).orElseThrow(() -> ApiException.invalidParameter(
                "The storage pool of VM snapshot " + snapshot.displayName() + " is deleted"));
    }

    private static ApiException changedMeanwhile(VmSnapshotRepository.VmSnapshotRow snapshot) {
        return ApiException.invalidParameter("VM snapshot " + snapshot.displayName() + " changed state meanwhile;"
                + " try again");
    }
}
