package io.rbdstack.server.cluster;

import io.rbdstack.server.db.Jdbc;
import java.time.Duration;

/**
 * Named leases in the {@code cluster_lease} table, so that one management server at a time does a piece
 * of background work. A lease is taken (when free or expired) or renewed (by its holder) by one
 * conditional UPDATE, so two servers never both hold it; all times are the database's clock, so the
 * servers' clocks do not matter. Each lease also keeps when its work last ran, so a period holds across
 * a change of holder.
 */
public final class ClusterLease {

    private final Jdbc jdbc;
    private final long msid;

    public ClusterLease(Jdbc jdbc, long msid) {
        this.jdbc = jdbc;
        this.msid = msid;
    }

    public long msid() {
        return msid;
    }

    /**
     * Takes the lease if it is free or expired, or renews it if this server holds it.
     *
     * @return whether this server holds the lease for {@code ttl} from now
     */
    public boolean acquire(String name, Duration ttl) {
        // A new lease's last run is now: its work first runs one period after the lease first exists.
        jdbc.update("INSERT INTO cluster_lease (name, owner_msid, expires, last_run)"
                + " VALUES (?, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE name = name", name);
        return jdbc.update("UPDATE cluster_lease SET owner_msid = ?, expires = DATE_ADD(UTC_TIMESTAMP(3), INTERVAL ?"
                + " MICROSECOND) WHERE name = ? AND (owner_msid = ? OR expires < UTC_TIMESTAMP(3))", msid,
                ttl.toNanos() / 1000, name, msid) == 1;
    }

    /**
     * Claims a run of the lease's work: true (and the run recorded) when this server holds the lease and
     * at least {@code period} has passed since the last run, by whichever server.
     */
    public boolean claimRun(String name, Duration period) {
        return jdbc.update("UPDATE cluster_lease SET last_run = UTC_TIMESTAMP(3) WHERE name = ? AND owner_msid = ?"
                + " AND expires > UTC_TIMESTAMP(3) AND last_run <= DATE_SUB(UTC_TIMESTAMP(3), INTERVAL ? MICROSECOND)",
                name, msid, period.toNanos() / 1000) == 1;
    }

    /** Gives the lease up (at shutdown), so another server takes it at once instead of after it expires. */
    public void release(String name) {
        jdbc.update("UPDATE cluster_lease SET expires = DATE_SUB(UTC_TIMESTAMP(3), INTERVAL 1 SECOND)"
                + " WHERE name = ? AND owner_msid = ?", name, msid);
    }
}
