package io.rbdstack.server.volume;

import io.rbdstack.server.tag.TagView;
import java.util.List;

/**
 * A volume as createVolume, resizeVolume and listVolumes show it: CloudStack's field names, size in
 * bytes, path = the image name on the storage, tags = its resource tags; the VM it is attached to and
 * its device id there, when it is.
 */
public record VolumeView(String id, String name, String zoneid, String zonename, String type, long size, String state,
                         String storageid, String storage, String storagetype, String diskofferingid,
                         String diskofferingname, String account, String domainid, String domain, String created,
                         String path, String provisioningtype, List<TagView> tags, String virtualmachineid,
                         String vmname, String vmdisplayname, String vmstate, Long deviceid) {
}
