package io.rbdstack.spi.storage;

import java.util.Objects;
import java.util.Optional;

/** Where a pool is usable: a whole zone, or one cluster of it. Ids are the API's uuids. */
public record PoolScope(String zoneUuid, Optional<String> clusterUuid) {

    public PoolScope {
        Objects.requireNonNull(zoneUuid, "zoneUuid");
        Objects.requireNonNull(clusterUuid, "clusterUuid");
    }

    public static PoolScope zone(String zoneUuid) {
        return new PoolScope(zoneUuid, Optional.empty());
    }

    public static PoolScope cluster(String zoneUuid, String clusterUuid) {
        return new PoolScope(zoneUuid, Optional.of(clusterUuid));
    }

    /** CloudStack's scope name: ZONE or CLUSTER. */
    public String scopeName() {
        return clusterUuid.isPresent() ? "CLUSTER" : "ZONE";
    }
}
