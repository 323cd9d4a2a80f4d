package io.rbdstack.server.alert;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Rows of the alert table. */
public final class AlertRepository {

    static final int SUBJECT_LENGTH = 999;

    /** Where an alert is: ids of the zone, pod and cluster (each may be null). */
    public record Location(Long zoneId, Long podId, Long clusterId) {
        public static final Location NONE = new Location(null, null, null);
    }

    /** An alert as listAlerts shows it (CloudStack's AlertResponse fields). */
    public record AlertView(String id, int type, String name, String description, String sent) {
    }

    private final Jdbc jdbc;

    public AlertRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Raises an alert about a lasting condition of {@code resourceUuid} unless one of this type is open for
     * it already (the condition goes on); returns whether it was raised.
     */
    public boolean raiseOpen(AlertType type, String resourceUuid, String subject, Location where) {
        Instant now = Instant.now();
        return jdbc.update("INSERT INTO alert (uuid, type, name, subject, data_center_id, pod_id, cluster_id,"
                        + " resource_uuid, created, last_sent) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM DUAL"
                        + " WHERE NOT EXISTS (SELECT 1 FROM alert WHERE resource_uuid = ? AND type = ? AND resolved IS NULL)",
                UUID.randomUUID().toString(), type.number(), type.alertName(), cut(subject), where.zoneId(),
                where.podId(), where.clusterId(), resourceUuid, now, now, resourceUuid, type.number()) == 1;
    }

    /** Ends the open alert of this type about {@code resourceUuid}, if any; returns whether there was one. */
    public boolean resolve(AlertType type, String resourceUuid) {
        return jdbc.update("UPDATE alert SET resolved = ? WHERE resource_uuid = ? AND type = ? AND resolved IS NULL",
                Instant.now(), resourceUuid, type.number()) > 0;
    }

    /** Raises an alert about something that happened once (a failed backup). */
    public void raise(AlertType type, String resourceUuid, String subject, Location where) {
        Instant now = Instant.now();
        jdbc.insert("INSERT INTO alert (uuid, type, name, subject, data_center_id, pod_id, cluster_id, resource_uuid,"
                        + " created, last_sent, resolved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), type.number(), type.alertName(), cut(subject), where.zoneId(),
                where.podId(), where.clusterId(), resourceUuid, now, now, now);
    }

    /** Where the host is. */
    public Location ofHost(String hostUuid) {
        return jdbc.queryOne("SELECT data_center_id, pod_id, cluster_id FROM host WHERE uuid = ?", AlertRepository::location,
                hostUuid).orElse(Location.NONE);
    }

    /** Where the storage pool is. */
    public Location ofPool(long poolId) {
        return jdbc.queryOne("SELECT data_center_id, pod_id, cluster_id FROM storage_pool WHERE id = ?",
                AlertRepository::location, poolId).orElse(Location.NONE);
    }

    public List<AlertView> list(Where where, String limit) {
        return jdbc.query("SELECT uuid, type, name, subject, last_sent FROM alert a" + where.sql()
                + " ORDER BY a.id DESC" + limit, rs -> new AlertView(rs.getString("uuid"), rs.getInt("type"),
                rs.getString("name"), rs.getString("subject"), ApiJson.date(Jdbc.instant(rs, "last_sent"))), where.args());
    }

    public long count(Where where) {
        return jdbc.queryLong("SELECT COUNT(*) FROM alert a" + where.sql(), where.args());
    }

    public List<Long> ids(Where where) {
        return jdbc.query("SELECT a.id FROM alert a" + where.sql(), rs -> rs.getLong(1), where.args());
    }

    public int archive(List<Long> ids) {
        Where where = Where.empty().andAmong("id", ids);
        return jdbc.update("UPDATE alert SET archived = 1" + where.sql(), where.args());
    }

    public int delete(List<Long> ids) {
        Where where = Where.empty().andAmong("id", ids);
        return jdbc.update("DELETE FROM alert" + where.sql(), where.args());
    }

    /** Deletes alerts raised before {@code cutoff} whose condition is over (or that were one-off). */
    public int purgeOlderThan(Instant cutoff) {
        return jdbc.update("DELETE FROM alert WHERE created < ? AND resolved IS NOT NULL", cutoff);
    }

    private static Location location(ResultSet rs) throws SQLException {
        return new Location(rs.getObject(1, Long.class), rs.getObject(2, Long.class), rs.getObject(3, Long.class));
    }

    private static String cut(String subject) {
        return subject.length() > SUBJECT_LENGTH ? subject.substring(0, SUBJECT_LENGTH - 1) + "…" : subject;
    }
}
