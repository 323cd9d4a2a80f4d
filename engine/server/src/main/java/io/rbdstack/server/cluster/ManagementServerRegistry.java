package io.rbdstack.server.cluster;

import io.rbdstack.server.db.Jdbc;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mshost table: each management server process registers under a fresh msid and records a
 * heartbeat; a process silent for three heartbeats is dead, and so are the jobs it was running.
 */
public final class ManagementServerRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServerRegistry.class);
    private static final int MISSED_BEATS_FOR_DEAD = 3;

    private final Jdbc jdbc;
    private final Duration heartbeat;
    private final long msid;
    private final ScheduledExecutorService timer;

    public ManagementServerRegistry(Jdbc jdbc, Duration heartbeat) {
        this.jdbc = jdbc;
        this.heartbeat = heartbeat;
        this.msid = new SecureRandom().nextLong() & Long.MAX_VALUE;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mshost-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    public long msid() {
        return msid;
    }

    /** Registers this process as Up and starts its heartbeat. */
    public void register(String name, String serviceIp, int servicePort, String version) {
        Instant now = Instant.now();
        jdbc.insert("INSERT INTO mshost (msid, uuid, name, version, service_ip, service_port, state, last_update, created)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'Up', ?, ?)", msid, UUID.randomUUID().toString(), name, version,
                serviceIp, servicePort, now, now);
        timer.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Marks servers silent for three heartbeats Down; returns the msids still alive (this one included). */
    public List<Long> markSilentServersDown() {
        Instant deadline = Instant.now().minus(heartbeat.multipliedBy(MISSED_BEATS_FOR_DEAD));
        int down = jdbc.update("UPDATE mshost SET state = 'Down' WHERE state = 'Up' AND last_update < ? AND msid <> ?",
                deadline, msid);
        if (down > 0) {
            LOG.warn("{} management server(s) stopped sending heartbeats; marked Down", down);
        }
        return jdbc.query("SELECT msid FROM mshost WHERE state = 'Up' AND removed IS NULL", rs -> rs.getLong(1));
    }

    private void beat() {
        try {
            jdbc.update("UPDATE mshost SET last_update = ?, state = 'Up' WHERE msid = ?", Instant.now(), msid);
        } catch (RuntimeException e) {
            LOG.warn("Cannot record the management server heartbeat: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        jdbc.update("UPDATE mshost SET state = 'Down', removed = ? WHERE msid = ?", Instant.now(), msid);
    }
}
