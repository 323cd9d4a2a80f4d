package io.rbdstack.server.storage;

import java.util.Map;

/**
 * A pool as createStoragePool and listStoragePools show it (CloudStack's field names). Never the secret.
 * {@code statereason}: rbdstack's own, why a pool is Alert (as listHosts' statereason for a host).
 */
public record StoragePoolView(String id, String zoneid, String zonename, String podid, String podname, String name,
                              String ipaddress, String path, String created, String type, String clusterid,
                              String clustername, Long disksizetotal, Long disksizeallocated, Long disksizeused,
                              Long capacityiops, String tags, String state, String statereason, String scope,
                              String overprovisionfactor, String hypervisor, String provider,
                              Map<String, String> storagecapabilities) {
}
