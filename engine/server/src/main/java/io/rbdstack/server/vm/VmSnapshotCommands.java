package io.rbdstack.server.vm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.OwnerParams;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.db.PageAndCount;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.snapshot.SnapshotQuiesce;
import java.util.List;
import java.util.Optional;

/**
 * createVMSnapshot, listVMSnapshot, revertToVMSnapshot and deleteVMSnapshot with CloudStack's parameters,
 * response keys ({@code vmsnapshot}; listVMSnapshot's list is {@code vmSnapshot}, as CloudStack spells it)
 * and error texts. Disk-only, as CloudStack does for KVM on Ceph.
 */
final class VmSnapshotCommands {

    static final String INSTANCE_TYPE = "VmSnapshot";

    private VmSnapshotCommands() {
    }

    /** What the commands share. */
    record Deps(VmSnapshots service, VmSnapshotRepository snapshots, VmRepository vms, GuestNics nics, Owners owners,
                ActionEvents events) {

        VmSnapshotRepository.VmSnapshotRow snapshot(String uuid) {
            return snapshots.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find the VM snapshot with id " + uuid));
        }
    }

    static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateVMSnapshot.class, deps);
        registry.register(ListVMSnapshot.class, deps);
        registry.register(RevertToVMSnapshot.class, deps);
        registry.register(DeleteVMSnapshot.class, deps);
    }

    @Command(name = "createVMSnapshot", description = "Creates a snapshot of a virtual machine's disks: all of its"
            + " volumes at one instant, as one storage group snapshot (disk only; no memory).", access = Access.USER,
            response = "vmsnapshot", event = "VMSNAPSHOT.CREATE")
    record CreateVMSnapshot(
            @Param(description = "The ID of the vm", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String virtualMachineId,
            @Param(description = "The display name of the snapshot", column = "vm_snapshots.display_name")
            Optional<String> name,
            @Param(description = "The description of the snapshot", column = "vm_snapshots.description")
            Optional<String> description,
            @Param(description = "snapshot memory if true; must be false or absent: KVM on RBD takes disk-only"
                    + " snapshots") Optional<Boolean> snapshotMemory,
            @Param(description = "quiesce vm if true: the snapshot fails unless the guest's file systems can be"
                    + " frozen or the guest has no qemu-guest-agent (then it is crash-consistent, and the job says"
                    + " so); a running guest with an agent is frozen in any case") Optional<Boolean> quiesceVm)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            if (snapshotMemory.orElse(false)) {
                throw ApiException.invalidParameter("KVM does not support the type of Snapshot requested: rbdstack"
                        + " takes disk-only VM snapshots (parameter snapshotmemory)");
            }
            VmRepository.VmRow vm = deps.vms().find(virtualMachineId).orElseThrow(() -> ApiException
                    .invalidParameter("Creating VM snapshot failed due to VM:" + virtualMachineId + " is a system VM"
                            + " or does not exist"));
            VmSnapshotRepository.VmSnapshotRow allocated = deps.service().allocate(vm, name, description);
            return new AsyncStart(INSTANCE_TYPE, allocated.uuid(), progress -> {
                VmSnapshots.Taken taken = deps.service().take(allocated.uuid(), quiesceVm.orElse(false));
                if (SnapshotQuiesce.CRASH_CONSISTENT.equals(taken.consistency())) {
                    deps.events().happened(caller, "VMSNAPSHOT.CREATE", EventLevel.INFO, "VM snapshot "
                            + allocated.displayName() + " of VM " + vm.label() + " is crash-consistent: "
                            + SnapshotQuiesce.CRASH_CONSISTENT, new EventResource(INSTANCE_TYPE, allocated.uuid()));
                }
                return ApiJson.object("vmsnapshot", VmSnapshotView.of(taken.snapshot(), taken.consistency()));
            });
        }
    }

    @Command(name = "listVMSnapshot", description = "List virtual machine snapshot by conditions",
            access = Access.USER, response = "vmSnapshot")
    record ListVMSnapshot(
            @Param(description = "The ID of the VM snapshot", entity = Entity.VM_SNAPSHOT) Optional<String> vmSnapshotId,
            @Param(description = "the ID of the vm", entity = Entity.VIRTUAL_MACHINE) Optional<String> virtualMachineId,
            @Param(description = "lists snapshot by snapshot name or display name", column = "vm_snapshots.display_name")
            Optional<String> name,
            @Param(description = "state of the virtual machine snapshot") Optional<VmSnapshotState> state,
            @Param(description = "List by keyword") Optional<String> keyword,
            OwnerParams owner, PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            VmSnapshotRepository.Filter filter = new VmSnapshotRepository.Filter(owner.scope(caller, deps.owners(),
                    vmSnapshotId.isPresent() || virtualMachineId.isPresent()), vmSnapshotId, virtualMachineId, name,
                    state.map(Enum::name), keyword);
            PageAndCount.Result<VmSnapshotRepository.VmSnapshotRow> found = PageAndCount.read(
                    () -> deps.snapshots().list(filter, page.sql()), () -> deps.snapshots().count(filter));
            List<VmSnapshotView> views = found.rows().stream().map(s -> VmSnapshotView.of(s, null)).toList();
            return ApiJson.list("vmSnapshot", views, found.count());
        }
    }

    @Command(name = "revertToVMSnapshot", description = "Revert VM from a vmsnapshot: every volume of the VM goes"
            + " back to its content and size in the snapshot. The VM must be Stopped.", access = Access.USER,
            response = "virtualmachine", event = "VMSNAPSHOT.REVERTTO")
    record RevertToVMSnapshot(
            @Param(description = "The ID of the vm snapshot", entity = Entity.VM_SNAPSHOT, acl = true)
            String vmSnapshotId) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VmSnapshotRepository.VmSnapshotRow snapshot = deps.snapshot(vmSnapshotId);
            VmRepository.VmRow vm = deps.vms().findById(snapshot.vmId()).orElseThrow(() -> ApiException
                    .invalidParameter("Revert vm to snapshot: " + vmSnapshotId + " failed due to vm is not found"));
            deps.service().checkRevert(snapshot, vm);
            return new AsyncStart(INSTANCE_TYPE, vmSnapshotId, progress -> {
                VmRepository.VmRow reverted = deps.service().revert(vmSnapshotId);
                return ApiJson.object("virtualmachine", VmView.of(reverted, deps.nics().nicsOf(List.of(reverted.id()))
                        .getOrDefault(reverted.id(), List.of()), caller.isRootAdmin()));
            });
        }
    }

    @Command(name = "deleteVMSnapshot", description = "Deletes a vmsnapshot: its storage group snapshot, and the"
            + " VM's storage group with the last one.", access = Access.USER, response = "success",
            event = "VMSNAPSHOT.DELETE")
    record DeleteVMSnapshot(
            @Param(description = "The ID of the VM snapshot", entity = Entity.VM_SNAPSHOT, acl = true)
            String vmSnapshotId) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            deps.service().checkDelete(deps.snapshot(vmSnapshotId));
            return new AsyncStart(INSTANCE_TYPE, vmSnapshotId, progress -> {
                deps.service().delete(vmSnapshotId);
                return ApiJson.success();
            });
        }
    }
}
