package io.rbdstack.server.volume;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import java.util.List;
import java.util.Optional;

/**
 * Which volumes are copy-on-write clones of which snapshot ({@code volumes.parent_snapshot_id}), as long as
 * they depend on it: a snapshot, or the volume it belongs to, cannot be deleted while such a clone exists, and
 * a chain of clones is only so long ({@code rbd.max.clone.depth}).
 */
public final class VolumeClones {

    /** A volume that depends on a snapshot; Destroyed ones still do while the storage keeps them (RBD trash). */
    public record Clone(String uuid, String name, VolumeState state) {

        /** How a refusal names it: "name (uuid)", and where a deleted one still is. */
        public String describe() {
            return name + " (" + uuid + ")" + (state == VolumeState.Destroyed
                    ? ", deleted but kept in the storage's trash until its deferred delete purges it" : "");
        }
    }

    /** Longest chain ever followed: a guard against a cycle in bad data, far above any sensible depth. */
    private static final int MAX_FOLLOWED = 1000;
    private static final String DEPENDS = " AND v.state NOT IN ('Expunged', 'Error')";

    private final Jdbc jdbc;

    public VolumeClones(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * First step of a clone's allocation transaction: locks the snapshot's volume row, as deleteSnapshot and
     * deleteVolume move that snapshot or volume on under it (or check for clones after their move), so a delete
     * either sees this clone or happened before; then 431 when the snapshot or its volume is going.
     */
    void recordParentLock(String snapshotUuid) {
        Optional<String> volumeState = jdbc.queryOne("SELECT v.state FROM volumes v JOIN snapshots s"
                + " ON s.volume_id = v.id WHERE s.uuid = ? FOR UPDATE", rs -> rs.getString(1), snapshotUuid);
        boolean usable = jdbc.queryLong("SELECT COUNT(*) FROM snapshots WHERE uuid = ? AND removed IS NULL"
                + " AND status IN ('CreatedOnPrimary', 'BackedUp')", snapshotUuid) > 0;
        if (!usable || volumeState.filter(state -> !state.equals(VolumeState.Destroying.name())).isEmpty()) {
            throw ApiException.invalidParameter("Snapshot " + snapshotUuid + " or its volume is being deleted; a"
                    + " volume can only be made from a snapshot that is CreatedOnPrimary or BackedUp on primary"
                    + " storage (parameter snapshotid)");
        }
    }

    /** Records that new volume {@code volumeUuid} is a clone of snapshot {@code snapshotUuid}. */
    void recordParent(String volumeUuid, String snapshotUuid) {
        jdbc.update("UPDATE volumes SET parent_snapshot_id = (SELECT id FROM snapshots WHERE uuid = ?) WHERE uuid = ?",
                snapshotUuid, volumeUuid);
    }

    /** The volume was flattened: it depends on no snapshot and no template any more. */
    public void flattened(long volumeId) {
        jdbc.update("UPDATE volumes SET parent_snapshot_id = NULL, template_id = NULL WHERE id = ?", volumeId);
    }

    /**
     * Whether a flattenVolume job of the volume is running (pending jobs of stopped servers are failed by the
     * storage cleanup). Its image is open meanwhile: a delete would remove its snapshots and then fail.
     */
    public boolean flattening(String volumeUuid) {
        return jdbc.queryLong("SELECT COUNT(*) FROM async_job WHERE job_status = 0 AND cmd = ? AND instance_type"
                + " = 'Volume' AND instance_id = ?", CloneFlattening.COMMAND, volumeUuid) > 0;
    }

    /** Whether the volume is a clone of a snapshot. */
    public boolean isCloneOfSnapshot(long volumeId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM volumes WHERE id = ? AND parent_snapshot_id IS NOT NULL",
                volumeId) > 0;
    }

    /** Whether the volume is a clone: of a snapshot, or of a template's base image. */
    public boolean isClone(long volumeId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM volumes WHERE id = ? AND (parent_snapshot_id IS NOT NULL"
                + " OR template_id IS NOT NULL)", volumeId) > 0;
    }

    /**
     * How many clones deep the volume is: 0 for a volume that depends on nothing, 1 for a clone of a template or
     * of a snapshot of such a volume, and one more for each clone of a clone behind it.
     */
    public int depth(long volumeId) {
        int depth = 0;
        Long current = volumeId;
        while (current != null && depth < MAX_FOLLOWED) {
            record Link(Long parentVolume, boolean ofTemplate) {
            }
            Optional<Link> link = jdbc.queryOne("SELECT s.volume_id, v.template_id IS NOT NULL FROM volumes v"
                    + " LEFT JOIN snapshots s ON s.id = v.parent_snapshot_id WHERE v.id = ?",
                    rs -> new Link(rs.getObject(1, Long.class), rs.getBoolean(2)), current);
            if (link.isEmpty()) {
                break;
            }
            if (link.get().parentVolume() != null || link.get().ofTemplate()) {
                depth++;
            }
            current = link.get().parentVolume();
        }
        return depth;
    }

    /** The volumes that are clones of the snapshot, oldest first. */
    public List<Clone> ofSnapshot(long snapshotId) {
        return jdbc.query("SELECT v.uuid, v.name, v.state FROM volumes v WHERE v.parent_snapshot_id = ?" + DEPENDS
                + " ORDER BY v.id", VolumeClones::clone, snapshotId);
    }

    /** The volumes that are clones of any snapshot of the volume, oldest first. */
    public List<Clone> ofVolume(long volumeId) {
        return jdbc.query("SELECT v.uuid, v.name, v.state FROM volumes v JOIN snapshots s"
                + " ON s.id = v.parent_snapshot_id WHERE s.volume_id = ?" + DEPENDS + " ORDER BY v.id",
                VolumeClones::clone, volumeId);
    }

    /** "a (uuid), b (uuid)" for a refusal. */
    public static String names(List<Clone> clones) {
        return String.join(", ", clones.stream().map(Clone::describe).toList());
    }

    private static Clone clone(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Clone(rs.getString(1), rs.getString(2), VolumeState.valueOf(rs.getString(3)));
    }
}
