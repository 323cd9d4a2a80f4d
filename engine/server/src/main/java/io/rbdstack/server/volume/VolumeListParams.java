package io.rbdstack.server.volume;

import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.ParamGroup;
import io.rbdstack.server.tag.TagMatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The filters listVolumes and listVolumesMetrics share. */
@ParamGroup
public record VolumeListParams(
        @Param(description = "the ID of the disk volume", entity = Entity.VOLUME) Optional<String> id,
        @Param(description = "the name of the disk volume") Optional<String> name,
        @Param(description = "the ID of the availability zone", entity = Entity.ZONE) Optional<String> zoneId,
        @Param(description = "the ID of the storage pool", entity = Entity.STORAGE_POOL) Optional<String> storageId,
        @Param(description = "the type of disk volume: ROOT or DATADISK") Optional<String> type,
        @Param(description = "the ID of the virtual machine: its volumes", entity = Entity.VIRTUAL_MACHINE, acl = true)
        Optional<String> virtualMachineId,
        @Param(description = "List by keyword") Optional<String> keyword,
        @Param(description = "List resources by tags (key/value pairs): volumes with any of them",
                column = "resource_tags.value") List<Map<String, String>> tags) {

    VolumeRepository.Filter filter(ListScope scope) {
        return new VolumeRepository.Filter(scope, id, name, zoneId, storageId, keyword, type,
                virtualMachineId, TagMatch.of(tags, "tags"));
    }
}
