package io.rbdstack.server.storage;

import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.ParamGroup;
import io.rbdstack.server.tag.TagMatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The filters listStoragePools and listStoragePoolsMetrics share. */
@ParamGroup
public record PoolListParams(
        @Param(description = "the ID of the storage pool", entity = Entity.STORAGE_POOL) Optional<String> id,
        @Param(description = "the Zone ID for the storage pool", entity = Entity.ZONE) Optional<String> zoneId,
        @Param(description = "list storage pools belonging to the specific cluster", entity = Entity.CLUSTER)
        Optional<String> clusterId,
        @Param(description = "the name of the storage pool") Optional<String> name,
        @Param(description = "List by keyword") Optional<String> keyword,
        @Param(description = "List pools by resource tags (key/value pairs): pools with any of them (the pool's own"
                + " tags field stays its storage tags)", column = "resource_tags.value") List<Map<String, String>> tags) {

    StoragePoolRepository.PoolFilter filter() {
        return new StoragePoolRepository.PoolFilter(id, zoneId, clusterId, name, keyword, TagMatch.of(tags, "tags"));
    }
}
