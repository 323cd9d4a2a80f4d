package io.rbdstack.agent.ceph;

import com.ceph.rados.exceptions.RadosException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityAnswer;
import java.io.IOException;

/**
 * A Ceph pool's capacity as {@code ceph df} and {@code ceph osd pool get-quota} report it, read
 * with monitor commands over the session (the same calls the ceph CLI makes).
 *
 * <p>Who may read it: both commands need only monitor read access. The pool-limited user of
 * {@code mon 'profile rbd'} has it (profile rbd grants mon, osd and pg read), and a user without
 * mon read cannot use an RBD pool at all (measured: it cannot even open the pool's I/O context,
 * which waits for an OSD map it may not read). So there is no weaker fallback to offer; a denied
 * command fails the request naming the command and the cap it needs.
 */
public final class CephPoolCapacity {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CephPoolCapacity() {
    }

    /** Used ({@code stored}), available ({@code max_avail}) and quota ({@code max_bytes}, 0 = none) bytes. */
    public static RbdPoolCapacityAnswer read(RadosSession session) throws CephException {
        String pool = session.pool().cephPool();
        ObjectNode df = JSON.createObjectNode().put("prefix", "df").put("format", "json");
        ObjectNode quota = JSON.createObjectNode().put("prefix", "osd pool get-quota").put("pool", pool)
                .put("format", "json");
        long[] usage = parseDf(monCommand(session, df), pool);
        long quotaBytes = parseQuotaBytes(monCommand(session, quota));
        return new RbdPoolCapacityAnswer(true, null, usage[0], usage[1], quotaBytes);
    }

    /** {stored bytes, max_avail bytes} of the pool in {@code ceph df --format json}. */
    static long[] parseDf(String json, String pool) throws CephException {
        JsonNode root = parse(json, "df");
        for (JsonNode entry : root.path("pools")) {
            if (pool.equals(entry.path("name").asText())) {
                JsonNode stats = entry.path("stats");
                // "stored" is what clients wrote (Nautilus and later); "bytes_used" counts replicas.
                JsonNode stored = stats.has("stored") ? stats.get("stored") : stats.path("bytes_used");
                JsonNode available = stats.path("max_avail");
                if (!stored.canConvertToLong() || !available.canConvertToLong()) {
                    throw new CephException("ceph df has no stored/max_avail figures for pool '" + pool + "'", 0);
                }
                return new long[] {stored.asLong(), available.asLong()};
            }
        }
        throw new CephException("ceph df does not list pool '" + pool + "'", -CephErrors.ENOENT);
    }

    /** {@code quota_max_bytes} of {@code ceph osd pool get-quota --format json}; 0 = no quota. */
    static long parseQuotaBytes(String json) throws CephException {
        JsonNode value = parse(json, "osd pool get-quota").path("quota_max_bytes");
        if (!value.canConvertToLong()) {
            throw new CephException("ceph osd pool get-quota has no quota_max_bytes", 0);
        }
        return value.asLong();
    }

    private static String monCommand(RadosSession session, ObjectNode command) throws CephException {
        String prefix = command.get("prefix").asText();
        try {
            return session.rados().executeRadosMonCommand(new String[] {command.toString()}, "").getOutput();
        } catch (RadosException e) {
            int errno = Math.abs(e.getReturnValue());
            String hint = errno == CephErrors.EACCES || errno == CephErrors.EPERM
                    ? " (client." + session.pool().cephUser() + " needs mon read, e.g. mon 'profile rbd')" : "";
            throw new CephException("monitor command '" + prefix + "' failed: " + CephErrors.describe(e.getReturnValue())
                    + hint, e.getReturnValue(), e);
        }
    }

    private static JsonNode parse(String json, String command) throws CephException {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new CephException("unreadable output of '" + command + "': " + e.getMessage(), 0, e);
        }
    }
}
