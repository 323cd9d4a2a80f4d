package io.rbdstack.server.snapshot;

import io.rbdstack.server.tag.TagView;
import java.util.List;

/**
 * A snapshot as createSnapshot, revertSnapshot and listSnapshots show it (CloudStack's field names).
 * {@code physicalsize} is the size of its backups on secondary storage, 0 while it is on primary only.
 */
public record SnapshotView(String id, String name, String account, String domainid, String domain,
                           String snapshottype, String intervaltype, String created, String state, long physicalsize,
                           long virtualsize, boolean revertable, String volumeid, String volumename,
                           String volumetype, String zoneid, String zonename, List<TagView> tags,
                           boolean hasannotations) {
}
