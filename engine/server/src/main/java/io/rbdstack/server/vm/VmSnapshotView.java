package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiJson;

/**
 * A VM snapshot as createVMSnapshot and listVMSnapshot show it: CloudStack's VMSnapshotResponse keys
 * (its {@code parentName} spelled so), plus rbdstack's {@code quiesced} (whether the guest's file systems
 * were frozen while it was taken) and, in createVMSnapshot's job result only, {@code consistency}.
 */
public record VmSnapshotView(String id, String name, String displayname, String description, String state,
                             String type, boolean current, String parent, String parentName, String created,
                             String virtualmachineid, String virtualmachinename, String zoneid, String account,
                             String domainid, String domain, String hypervisor, boolean quiesced, String consistency) {

    static VmSnapshotView of(VmSnapshotRepository.VmSnapshotRow s, String consistency) {
        return new VmSnapshotView(s.uuid(), s.name(), s.displayName(), s.description(), s.state().name(), s.type(),
                s.current(), s.parentUuid(), s.parentName(), ApiJson.date(s.created()), s.vmUuid(), s.vmName(),
                s.zoneUuid(), s.accountName(), s.domainUuid(), s.domainName(), "KVM", s.quiesced(), consistency);
    }
}
