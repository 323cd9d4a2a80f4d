package io.rbdstack.server.snapshot.policy;

import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.DataAccessException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import io.rbdstack.server.tag.TagView;
import io.rbdstack.server.tag.TaggedType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code snapshot_policy} rows: at most one per volume and interval. {@code next_run} is when the
 * policy's next snapshot is due (NULL while the policy is hidden); {@link #claim} moves it on only
 * if it still holds what the caller read, so of several management servers exactly one takes each
 * due snapshot.
 */
public final class SnapshotPolicyRepository {

    /** A policy with its volume. */
    public record PolicyRow(long id, String uuid, long volumeId, String volumeUuid, String volumeName,
                            String volumeState, boolean volumeRemoved, long accountId, String schedule,
                            String timezone, IntervalType interval, int maxSnaps, boolean display, Instant nextRun) {

        /** Its schedule; the stored values were checked when the policy was saved. */
        public PolicySchedule parsedSchedule() {
            return PolicySchedule.parse(interval, schedule, PolicyTimeZone.parse(timezone));
        }

        public SnapshotPolicyView view(boolean showDisplay, List<TagView> tags) {
            return new SnapshotPolicyView(uuid, volumeUuid, schedule, interval.ordinal(), maxSnaps, timezone,
                    showDisplay ? display : null, tags);
        }
    }

    /** What createSnapshotPolicy saves. */
    public record NewPolicy(long volumeId, long accountId, String schedule, String timezone, IntervalType interval,
                            int maxSnaps, boolean display, Instant nextRun) {
    }

    /** listSnapshotPolicies' filters; {@code scope} says whose policies (a policy's domain is its account's). */
    public record Filter(ListScope scope, Optional<String> uuid, Optional<String> volumeUuid,
                         Optional<String> keyword, boolean display) {
        Where where() {
            return Where.of("p.display = ?", display)
                    .and(scope.where("p.account_id", "(SELECT a.domain_id FROM account a WHERE a.id = p.account_id)"))
                    .andIf("p.uuid = ?", uuid)
                    .andIf("p.volume_id = (SELECT id FROM volumes WHERE uuid = ?)", volumeUuid)
                    .andContains("v.name", keyword);
        }
    }

    private static final int DUPLICATE_ENTRY = 1062;
    private static final String FROM = " FROM snapshot_policy p JOIN volumes v ON v.id = p.volume_id";
    private static final String SELECT = "SELECT p.id, p.uuid, p.volume_id, v.uuid AS volume_uuid,"
            + " v.name AS volume_name, v.state AS volume_state, v.removed AS volume_removed, p.account_id, p.schedule,"
            + " p.timezone, p.interval_type, p.max_snaps, p.display, p.next_run" + FROM;

    private final Jdbc jdbc;

    public SnapshotPolicyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Saves the volume's policy of this interval: a new one, or the one it has, changed (CloudStack's
     * createSnapshotPolicy replaces a policy of the same interval). In one statement, so two callers
     * racing end with one policy.
     */
    public PolicyRow save(NewPolicy p) {
        jdbc.update("INSERT INTO snapshot_policy (uuid, volume_id, account_id, schedule, timezone, interval_type,"
                        + " max_snaps, active, display, next_run, created) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE schedule = VALUES(schedule), timezone = VALUES(timezone),"
                        + " max_snaps = VALUES(max_snaps), active = 1, display = VALUES(display),"
                        + " next_run = VALUES(next_run)", UUID.randomUUID().toString(), p.volumeId(), p.accountId(),
                p.schedule(), p.timezone(), p.interval(), p.maxSnaps(), p.display(), p.nextRun(), Instant.now());
        return jdbc.queryOne(SELECT + " WHERE p.volume_id = ? AND p.interval_type = ?", SnapshotPolicyRepository::row,
                p.volumeId(), p.interval()).orElseThrow();
    }

    public Optional<PolicyRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " WHERE p.uuid = ?", SnapshotPolicyRepository::row, uuid);
    }

    public List<PolicyRow> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(SELECT + where.sql() + " ORDER BY p.id" + limit, SnapshotPolicyRepository::row, where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*)" + FROM + where.sql(), where.args());
    }

    /** Shows or hides the policy; a hidden one takes no snapshots ({@code nextRun} empty), as in CloudStack. */
    public void setDisplay(long id, boolean display, Optional<Instant> nextRun) {
        jdbc.update("UPDATE snapshot_policy SET display = ?, next_run = ? WHERE id = ?", display, nextRun.orElse(null),
                id);
    }

    /** Gives the policy another uuid (updateSnapshotPolicy's customid); false when another policy has it. */
    public boolean setUuid(long id, String uuid) {
        try {
            jdbc.update("UPDATE snapshot_policy SET uuid = ? WHERE id = ?", uuid, id);
            return true;
        } catch (DataAccessException e) {
            if (e.errorCode() == DUPLICATE_ENTRY) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the policies and their tags (a later policy could be given a deleted one's id). */
    public void delete(List<Long> ids) {
        jdbc.transaction(() -> ids.forEach(id -> {
            jdbc.update("DELETE FROM resource_tags WHERE resource_type = ? AND resource_id = ?",
                    TaggedType.SnapshotPolicy.name(), id);
            jdbc.update("DELETE FROM snapshot_policy WHERE id = ?", id);
        }));
    }

    /** Policies whose next snapshot is due at {@code now}, the longest waiting first. */
    public List<PolicyRow> due(Instant now, int limit) {
        return jdbc.query(SELECT + " WHERE p.next_run <= ? ORDER BY p.next_run, p.id LIMIT " + limit,
                SnapshotPolicyRepository::row, now);
    }

    /**
     * Moves the policy's next run from {@code expected} to {@code next}, if it still is {@code expected}:
     * true for exactly one of several callers that read the same {@code expected}.
     */
    public boolean claim(long id, Instant expected, Instant next) {
        return jdbc.update("UPDATE snapshot_policy SET next_run = ? WHERE id = ? AND next_run = ?", next, id,
                expected) == 1;
    }

    private static PolicyRow row(ResultSet rs) throws SQLException {
        return new PolicyRow(rs.getLong("id"), rs.getString("uuid"), rs.getLong("volume_id"),
                rs.getString("volume_uuid"), rs.getString("volume_name"), rs.getString("volume_state"),
                rs.getTimestamp("volume_removed") != null, rs.getLong("account_id"), rs.getString("schedule"),
                rs.getString("timezone"), IntervalType.valueOf(rs.getString("interval_type")), rs.getInt("max_snaps"),
                rs.getBoolean("display"), Jdbc.instant(rs, "next_run"));
    }
}
