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
import io.rbdstack.server.network.GuestNic;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.volume.VolumeRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VM lifecycle commands (deploy, start, stop, reboot, destroy, recover, list) and attachVolume /
 * detachVolume (the NIC commands are {@link VmNicCommands}'), with CloudStack's parameters, response keys and error texts. Each async command's
 * job is about the VM ({@code jobinstancetype} VirtualMachine), which is how VmSync tells a VM with
 * work in progress from one that stopped by itself.
 */
public final class VmCommands {

    static final String INSTANCE_TYPE = "VirtualMachine";

    private VmCommands() {
    }

    /** What the commands share. */
    public record Deps(VmRepository vms, VmRequests requests, VmDeployment deployment, VmPower power,
                       VmDestroyer destroyer, VolumeAttachments attachments, VmNics vmNics, GuestNics nics,
                       VolumeRepository volumes, Owners owners, ActionEvents events) {

        /** The live VM (the caller's right to it was checked when its id was bound). */
        VmRepository.VmRow vm(String uuid) {
            return vms.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find virtual machine with specified id " + uuid));
        }

        VmView view(VmRepository.VmRow vm, Caller caller) {
            return VmView.of(vm, nics.nicsOf(List.of(vm.id())).getOrDefault(vm.id(), List.of()), caller.isRootAdmin());
        }

        ObjectNode result(VmRepository.VmRow vm, Caller caller) {
            return ApiJson.object("virtualmachine", view(vm, caller));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(DeployVirtualMachine.class, deps);
        registry.register(StartVirtualMachine.class, deps);
        registry.register(StopVirtualMachine.class, deps);
        registry.register(RebootVirtualMachine.class, deps);
        registry.register(DestroyVirtualMachine.class, deps);
        registry.register(RecoverVirtualMachine.class, deps);
        registry.register(ListVirtualMachines.class, deps);
        registry.register(AttachVolume.class, deps);
        registry.register(DetachVolume.class, deps);
        VmNicCommands.register(registry, deps);
    }

    @Command(name = "deployVirtualMachine", description = "Creates and automatically starts a virtual machine based on"
            + " a service offering, disk offering, and template. The root volume is cloned from the template at once,"
            + " even with startvm=false.", access = Access.USER, response = "virtualmachine", event = "VM.CREATE")
    record DeployVirtualMachine(
            @Param(description = "availability zone for the virtual machine", entity = Entity.ZONE) String zoneId,
            @Param(description = "the ID of the service offering for the virtual machine",
                    entity = Entity.SERVICE_OFFERING) String serviceOfferingId,
            @Param(description = "the ID of the template for the virtual machine", entity = Entity.TEMPLATE)
            String templateId,
            @Param(description = "list of network ids used by virtual machine", length = 4096)
            List<String> networkIds,
            @Param(description = "IP to network mapping: iptonetworklist[0].networkid, .ip, .mac")
            List<Map<String, String>> ipToNetworkList,
            @Param(description = "the ip address for default vm's network", length = 15) Optional<String> ipAddress,
            @Param(description = "the mac address for default vm's network", length = 17) Optional<String> macAddress,
            @Param(description = "host name for the virtual machine (an RFC 1123 label); VM-<uuid> when absent",
                    column = "vm_instance.name") Optional<String> name,
            @Param(description = "an optional user generated name for the virtual machine",
                    column = "vm_instance.display_name") Optional<String> displayName,
            @Param(description = "true by default: start the VM once deployed") Optional<Boolean> startVm,
            @Param(description = "the root disk size in GB; at least the template's size") Optional<Long> rootDiskSize,
            @Param(description = "the ID of the disk offering for a data disk", entity = Entity.DISK_OFFERING)
            Optional<String> diskOfferingId,
            @Param(description = "the size of the data disk in GB, for a customized disk offering")
            Optional<Long> size,
            @Param(description = "destination host for the VM (root admin only)", entity = Entity.HOST)
            Optional<String> hostId,
            @Param(description = "the account the VM is deployed for; with domainid (admins)") Optional<String> account,
            @Param(description = "the domain of account", entity = Entity.DOMAIN) Optional<String> domainId,
            @Param(description = "details: cpuNumber, cpuSpeed and memory for a custom offering, rootdisksize (GB)")
            Map<String, String> details) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            if (hostId.isPresent() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Only a root admin may choose the host (parameter hostid)");
            }
            Caller owner = deps.requests().owner(caller, account, domainId);
            VmRequests.Deploy checked = deps.requests().deploy(owner, this);
            VmDeployment.Allocated allocated = deps.deployment().allocate(owner, checked.request());
            Optional<Long> host = hostId.map(deps.requests()::hostIdOf);
            String uuid = checked.request().uuid();
            return new AsyncStart(INSTANCE_TYPE, uuid, progress -> {
                deps.deployment().createVolumes(allocated, checked.request().template(), progress);
                VmRepository.VmRow vm = deps.vm(uuid);
                if (startVm.orElse(true)) {
                    vm = deps.power().start(vm, host, false);
                }
                return deps.result(vm, caller);
            });
        }
    }

    @Command(name = "startVirtualMachine", description = "Starts a virtual machine.", access = Access.USER,
            response = "virtualmachine", event = "VM.START")
    record StartVirtualMachine(
            @Param(description = "The ID of the virtual machine", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String id,
            @Param(description = "destination host for the VM (root admin only)", entity = Entity.HOST)
            Optional<String> hostId,
            @Param(description = "true by default: start on the host the VM last ran on when it still fits")
            Optional<Boolean> considerLastHost) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            if (hostId.isPresent() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Only a root admin may choose the host (parameter hostid)");
            }
            VmRepository.VmRow vm = deps.vm(id);
            VmPower.checkStartable(vm);
            Optional<Long> host = hostId.map(deps.requests()::hostIdOf);
            return new AsyncStart(INSTANCE_TYPE, id, progress -> deps.result(
                    deps.power().start(deps.vm(id), host, considerLastHost.orElse(true)), caller));
        }
    }

    @Command(name = "stopVirtualMachine", description = "Stops a virtual machine: the guest is asked to power off,"
            + " and forced off after vm.stop.timeout.seconds. A VM that is not running is left as it is.",
            access = Access.USER, response = "virtualmachine", event = "VM.STOP")
    record StopVirtualMachine(
            @Param(description = "The ID of the virtual machine", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String id,
            @Param(description = "Force stop the VM (vm is marked as Stopped even when command fails to be send to"
                    + " the backend, otherwise a force poweroff is attempted).") Optional<Boolean> forced)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            deps.vm(id);
            return new AsyncStart(INSTANCE_TYPE, id, progress -> deps.result(
                    deps.power().stop(deps.vm(id), forced.orElse(false)), caller));
        }
    }

    @Command(name = "rebootVirtualMachine", description = "Reboots a virtual machine: a stop, then a start on the"
            + " same host.", access = Access.USER, response = "virtualmachine", event = "VM.REBOOT")
    record RebootVirtualMachine(
            @Param(description = "The ID of the virtual machine", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String id,
            @Param(description = "Force reboot the VM (the guest is not asked to shut down first)")
            Optional<Boolean> forced) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VmRepository.VmRow vm = deps.vm(id);
            if (vm.state() != VmState.Running) {
                throw ApiException.invalidParameter("Unable to reboot VM " + vm.label() + " (" + vm.uuid()
                        + "): it is " + vm.state() + ", not Running");
            }
            return new AsyncStart(INSTANCE_TYPE, id, progress -> deps.result(
                    deps.power().reboot(deps.vm(id), forced.orElse(false)), caller));
        }
    }

    @Command(name = "destroyVirtualMachine", description = "Destroys a virtual machine: it is stopped and can be"
            + " recovered until expunged. Its data disks are detached and kept, unless listed in volumeids.",
            access = Access.USER, response = "virtualmachine", event = "VM.DESTROY")
    record DestroyVirtualMachine(
            @Param(description = "The ID of the virtual machine", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String id,
            @Param(description = "If true is passed, the vm is expunged immediately. False by default.")
            Optional<Boolean> expunge,
            @Param(description = "Comma separated list of UUIDs for volumes that will be deleted", length = 4096)
            List<String> volumeIds) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VmRepository.VmRow vm = deps.vm(id);
            boolean expunging = expunge.orElse(false);
            deps.destroyer().checkDestroy(caller, vm, expunging, volumeIds);
            return new AsyncStart(INSTANCE_TYPE, id, progress -> {
                VmRepository.VmRow before = deps.vm(id);
                VmView last = deps.view(before, caller);
                Optional<VmRepository.VmRow> after = deps.destroyer().destroy(before, expunging, volumeIds);
                if (after.isEmpty()) {
                    deps.events().happened(caller, "VM.EXPUNGE", EventLevel.INFO, "Expunged VM " + before.name()
                            + " (" + id + ")", new EventResource("VirtualMachine", id));
                    return ApiJson.object("virtualmachine", withState(last, "Expunged"));
                }
                return deps.result(after.get(), caller);
            });
        }

        private static ObjectNode withState(VmView view, String state) {
            ObjectNode node = ApiJson.MAPPER.valueToTree(view);
            node.put("state", state);
            node.remove("hostid");
            node.remove("hostname");
            return node;
        }
    }

    @Command(name = "recoverVirtualMachine", description = "Recovers a virtual machine that was destroyed and not"
            + " expunged: it is Stopped again with its root volume.", access = Access.USER,
            response = "virtualmachine", event = "VM.RECOVER")
    record RecoverVirtualMachine(
            @Param(description = "The ID of the virtual machine", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String id) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            return deps.result(deps.destroyer().recover(caller, deps.vm(id)), caller);
        }
    }

    @Command(name = "listVirtualMachines", description = "List the virtual machines owned by the account.",
            access = Access.USER, response = "virtualmachine")
    record ListVirtualMachines(
            @Param(description = "the ID of the virtual machine", entity = Entity.VIRTUAL_MACHINE) Optional<String> id,
            @Param(description = "the IDs of the virtual machines, mutually exclusive with id", length = 4096)
            List<String> ids,
            @Param(description = "name of the virtual machine") Optional<String> name,
            @Param(description = "state of the virtual machine") Optional<VmState> state,
            @Param(description = "the availability zone ID", entity = Entity.ZONE) Optional<String> zoneId,
            @Param(description = "list by the template ID", entity = Entity.TEMPLATE) Optional<String> templateId,
            @Param(description = "list by the service offering", entity = Entity.SERVICE_OFFERING)
            Optional<String> serviceOfferingId,
            @Param(description = "the host ID (root admin)", entity = Entity.HOST) Optional<String> hostId,
            @Param(description = "List by keyword") Optional<String> keyword,
            OwnerParams owner, PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            if (id.isPresent() && !ids.isEmpty()) {
                throw ApiException.invalidParameter("Parameters id and ids are mutually exclusive (parameter ids)");
            }
            VmRepository.Filter filter = new VmRepository.Filter(owner.scope(caller, deps.owners(),
                    id.isPresent() || !ids.isEmpty()), id, ids, name, state.map(Enum::name), zoneId, templateId,
                    serviceOfferingId, hostId, keyword);
            PageAndCount.Result<VmRepository.VmRow> found = PageAndCount.read(
                    () -> deps.vms().list(filter, page.sql()), () -> deps.vms().count(filter));
            Map<Long, List<GuestNic>> nics = deps.nics().nicsOf(found.rows().stream()
                    .map(VmRepository.VmRow::id).toList());
            return ApiJson.list("virtualmachine", found.rows().stream().map(vm -> VmView.of(vm,
                    nics.getOrDefault(vm.id(), List.of()), caller.isRootAdmin())).toList(), found.count());
        }
    }

    @Command(name = "attachVolume", description = "Attaches a disk volume to a virtual machine: hot-plugged into a"
            + " running one, recorded for a stopped one.", access = Access.USER, response = "volume",
            event = "VOLUME.ATTACH")
    record AttachVolume(
            @Param(description = "the ID of the disk volume", entity = Entity.VOLUME, acl = true) String id,
            @Param(description = "the ID of the virtual machine", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String virtualMachineId,
            @Param(description = "the ID of the device to map the volume to the guest OS: 1, 2, 4, 5… (3 is the"
                    + " CD-ROM's); the lowest free one when absent") Optional<Long> deviceId)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.volumes().find(id).orElseThrow(() ->
                    ApiException.invalidParameter("Please specify a volume that is not destroyed."));
            VmRepository.VmRow vm = deps.vms().find(virtualMachineId).orElseThrow(() ->
                    ApiException.invalidParameter("Please specify a valid User VM."));
            VolumeAttachments.checkAttach(volume, vm);
            return new AsyncStart("Volume", id, progress -> ApiJson.object("volume",
                    deps.attachments().attach(volume, vm, deviceId).view()));
        }
    }

    @Command(name = "detachVolume", description = "Detaches a disk volume from a virtual machine: unplugged from a"
            + " running one once the guest releases it.", access = Access.USER, response = "volume",
            event = "VOLUME.DETACH")
    record DetachVolume(
            @Param(description = "the ID of the disk volume", entity = Entity.VOLUME, acl = true) Optional<String> id,
            @Param(description = "the ID of the virtual machine where the volume is detached from",
                    entity = Entity.VIRTUAL_MACHINE, acl = true) Optional<String> virtualMachineId,
            @Param(description = "the device ID on the virtual machine where volume is detached from")
            Optional<Long> deviceId) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.requests().attachedVolume(id, virtualMachineId, deviceId);
            VmRepository.VmRow vm = deps.vms().find(volume.attachment().vmUuid()).orElseThrow(() ->
                    ApiException.invalidParameter("Please specify a valid User VM."));
            VolumeAttachments.checkDetach(volume, vm);
            return new AsyncStart("Volume", volume.uuid(), progress -> ApiJson.object("volume",
                    deps.attachments().detach(volume, vm).view()));
        }
    }
}
