package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.network.GuestNic;
import java.util.List;

/**
 * A VM as deployVirtualMachine, listVirtualMachines and the other VM commands show it: CloudStack's
 * UserVmResponse keys. {@code instancename} only for root admins (null fields are left out).
 */
public record VmView(String id, String name, String displayname, String account, String domainid, String domain,
                     String created, String state, boolean haenable, String zoneid, String zonename, String hostid,
                     String hostname, String instancename, String hypervisor, String templateid, String templatename,
                     String templatedisplaytext, boolean passwordenabled, String serviceofferingid,
                     String serviceofferingname, int cpunumber, int cpuspeed, int memory, String guestosid,
                     String ostypeid, long rootdeviceid, String rootdevicetype, boolean displayvm,
                     boolean isdynamicallyscalable, List<NicView> nic) {

    /** CloudStack's NicResponse keys. */
    public record NicView(String id, String networkid, String networkname, String virtualmachineid, String deviceid,
                          boolean isdefault, String traffictype, String macaddress, String ipaddress, String netmask,
                          String gateway, String ip6address, String ip6cidr, String ip6gateway, String broadcasturi) {

        static NicView of(GuestNic nic, String vmUuid) {
            return new NicView(nic.uuid(), nic.networkUuid(), nic.networkName(), vmUuid,
                    Integer.toString(nic.deviceId()), nic.isDefault(), "Guest", nic.macAddress(), nic.ip4Address(),
                    nic.netmask(), nic.gateway(), nic.ip6Address(), nic.ip6Cidr(), nic.ip6Gateway(),
                    nic.broadcastUri());
        }
    }

    static VmView of(VmRepository.VmRow vm, List<GuestNic> nics, boolean rootAdmin) {
        return new VmView(vm.uuid(), vm.name(), vm.displayName() == null ? vm.name() : vm.displayName(),
                vm.accountName(), vm.domainUuid(), vm.domainName(), ApiJson.date(vm.created()), vm.state().name(),
                vm.haEnabled(), vm.zoneUuid(), vm.zoneName(), vm.hostUuid(), vm.hostName(),
                rootAdmin ? vm.instanceName() : null, "KVM", vm.templateUuid(), vm.templateName(),
                vm.templateDisplayText(), false, vm.offeringUuid(), vm.offeringName(), vm.cpus(), vm.speedMhz(),
                vm.memoryMb(), vm.guestOsUuid(), vm.guestOsUuid(), DeviceIds.ROOT, VmVolumes.ROOT, vm.displayVm(),
                false, nics.stream().map(n -> NicView.of(n, vm.uuid())).toList());
    }
}
