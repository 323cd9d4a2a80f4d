package io.rbdstack.server.snapshot;

import io.rbdstack.server.tag.TagView;
import java.util.List;

/**
 * A snapshot as createSnapshot, revertSnapshot and listSnapshots show it (CloudStack's field names).
 * {@code physicalsize} is the size of its backups on secondary storage, 0 while it is on primary only.
 * The backup chain: {@code parent} and {@code parentname} name the snapshot whose backup this one's is
 * incremental to (absent for a full backup, or no backup); {@code datastoreid}, {@code datastorename} and
 * {@code datastoretype} (Image) the image store holding the backup (CloudStack's field names).
 * rbdstack's own (names CloudStack's snapshot response does not use): {@code backupverified}, when the
 * backup was last verified, and {@code backupverifyresult}, OK or the damage found (the backup is then
 * in Error and no longer counted in the fields above).
 */
public record SnapshotView(String id, String name, String account, String domainid, String domain,
                           String snapshottype, String intervaltype, String created, String state, long physicalsize,
                           long virtualsize, boolean revertable, String volumeid, String volumename,
                           String volumetype, String zoneid, String zonename, String parent, String parentname,
                           String datastoreid, String datastorename, String datastoretype, List<TagView> tags,
                           boolean hasannotations, String backupverified, String backupverifyresult) {
}
