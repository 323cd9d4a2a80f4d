package io.rbdstack.server.vm;

import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Param;
import java.util.Optional;

/**
 * CloudStack's NIC commands: addNicToVirtualMachine, removeNicFromVirtualMachine and
 * updateDefaultNicForVirtualMachine, each a job about the VM answering with the virtualmachine
 * (its {@code nic} list shows the change). The work is {@link VmNics}'.
 */
public final class VmNicCommands {

    private VmNicCommands() {
    }

    public static void register(CommandRegistry registry, VmCommands.Deps deps) {
        registry.register(AddNicToVirtualMachine.class, deps);
        registry.register(RemoveNicFromVirtualMachine.class, deps);
        registry.register(UpdateDefaultNicForVirtualMachine.class, deps);
    }

    @Command(name = "addNicToVirtualMachine", description = "Adds VM to specified network by creating a NIC: hot-plugged"
            + " into a running VM, recorded for a stopped one.", access = Access.USER, response = "virtualmachine",
            event = "NIC.CREATE")
    record AddNicToVirtualMachine(
            @Param(description = "Virtual Machine ID", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String virtualMachineId,
            @Param(description = "Network ID", entity = Entity.NETWORK) String networkId,
            @Param(description = "IP Address for the new network", length = 15) Optional<String> ipAddress,
            @Param(description = "Mac Address for the new network", length = 17) Optional<String> macAddress)
            implements AsyncCommand<VmCommands.Deps> {

        @Override
        public AsyncStart start(Caller caller, VmCommands.Deps deps) {
            VmRepository.VmRow vm = deps.vm(virtualMachineId);
            deps.vmNics().checkAdd(vm, networkId);
            return new AsyncStart(VmCommands.INSTANCE_TYPE, virtualMachineId, progress -> {
                deps.vmNics().add(vm, networkId, ipAddress, macAddress);
                return deps.result(deps.vm(virtualMachineId), caller);
            });
        }
    }

    @Command(name = "removeNicFromVirtualMachine", description = "Removes VM from specified network by deleting a NIC:"
            + " unplugged from a running VM once the guest releases it. The default NIC cannot be removed.",
            access = Access.USER, response = "virtualmachine", event = "NIC.DELETE")
    record RemoveNicFromVirtualMachine(
            @Param(description = "Virtual Machine ID", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String virtualMachineId,
            @Param(description = "NIC ID", length = 40) String nicId) implements AsyncCommand<VmCommands.Deps> {

        @Override
        public AsyncStart start(Caller caller, VmCommands.Deps deps) {
            VmRepository.VmRow vm = deps.vm(virtualMachineId);
            deps.vmNics().checkRemove(vm, nicId);
            return new AsyncStart(VmCommands.INSTANCE_TYPE, virtualMachineId, progress -> {
                deps.vmNics().remove(vm, nicId);
                return deps.result(deps.vm(virtualMachineId), caller);
            });
        }
    }

    @Command(name = "updateDefaultNicForVirtualMachine", description = "Changes the default NIC on a VM.",
            access = Access.USER, response = "virtualmachine", event = "NIC.UPDATE")
    record UpdateDefaultNicForVirtualMachine(
            @Param(description = "Virtual Machine ID", entity = Entity.VIRTUAL_MACHINE, acl = true)
            String virtualMachineId,
            @Param(description = "NIC ID", length = 40) String nicId) implements AsyncCommand<VmCommands.Deps> {

        @Override
        public AsyncStart start(Caller caller, VmCommands.Deps deps) {
            VmRepository.VmRow vm = deps.vm(virtualMachineId);
            deps.vmNics().checkDefault(vm, nicId);
            return new AsyncStart(VmCommands.INSTANCE_TYPE, virtualMachineId, progress -> {
                deps.vmNics().makeDefault(vm, nicId);
                return deps.result(deps.vm(virtualMachineId), caller);
            });
        }
    }
}
