package io.rbdstack.server.snapshot;

import io.rbdstack.server.tag.TagView;
import java.util.List;

/**
 * A snapshot as createSnapshot, revertSnapshot and listSnapshots show it (CloudStack's field names).
 * {@code physicalsize} is the size of its backups on secondary storage, 0 while it is on primary only.
 * The backup chain: {@code parent} and {@code parentname} name the snapshot whose backup this one's is
 * incremental to (absent for a full backup, or no backup); {@code datastoreid}, {@code datastorename} and
 * {@code datastoretype} (Image) the image store holding the backup (CloudStack's field names).
 */
public record SnapshotView(String id, String name, String account, String domainid, String domain,
                           String snapshottype, String intervaltype, String created, String state, long physicalsize,
                           long virtualsize, boolean revertable, String volumeid, String volumename,
                           String volumetype, String zoneid, String zonename, String parent, String parentname,
                           String datastoreid, String datastorename, String datastoretype, List<TagView> tags,
                           boolean hasannotations) {
}
