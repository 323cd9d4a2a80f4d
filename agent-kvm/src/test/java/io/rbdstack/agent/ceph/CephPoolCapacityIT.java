package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityAnswer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pool capacity against what the ceph CLI reports for the same pool. */
class CephPoolCapacityIT {

    private static final long GIB = 1L << 30;

    private final CephFixture cluster = new CephFixture();
    private final RadosConnector connector = new RadosConnector(RadosTimeouts.standard());

    @AfterEach
    void cleanUp() throws Exception {
        cluster.close();
    }

    private RbdPoolCapacityAnswer read(RbdPool pool) throws CephException {
        try (RadosSession session = connector.connect(pool)) {
            return CephPoolCapacity.read(session);
        }
    }

    /** {stored, max_avail} of the pool as {@code ceph df --format json} prints them. */
    private long[] cli(String pool) throws Exception {
        JsonNode df = CephFixture.JSON.readTree(cluster.cli("ceph", "df", "--format", "json"));
        for (JsonNode entry : df.get("pools")) {
            if (pool.equals(entry.get("name").asText())) {
                return new long[] {entry.get("stats").get("stored").asLong(), entry.get("stats").get("max_avail").asLong()};
            }
        }
        throw new AssertionError("ceph df does not list " + pool + ": " + df);
    }

    /** Other tests write to the cluster meanwhile: wait until one reading of each side agrees. */
    private void assertMatchesCli(RbdPool pool) {
        AtomicReference<String> last = new AtomicReference<>();
        Deadline.await("the agent's and the CLI's figures for " + pool.cephPool() + " agree", Duration.ofSeconds(30), () -> {
            RbdPoolCapacityAnswer ours = read(pool);
            long[] theirs = cli(pool.cephPool());
            last.set("agent " + ours + ", cli stored=" + theirs[0] + " max_avail=" + theirs[1]);
            return ours.success() && ours.usedBytes() == theirs[0] && ours.availableBytes() == theirs[1];
        });
    }

    @Test
    void thePoolLimitedUserReadsWhatCephDfSays() throws Exception {
        RbdPoolCapacityAnswer limited = read(cluster.limitedPool());
        assertTrue(limited.success(), limited.toString());
        assertTrue(limited.availableBytes() > 0, limited.toString());
        assertEquals(0, limited.quotaBytes(), "the shared pool has no quota");
        assertEquals(limited.usedBytes() + limited.availableBytes(), limited.totalBytes());
        assertMatchesCli(cluster.limitedPool());
        assertMatchesCli(cluster.adminPool());
    }

    @Test
    void aQuotaCapsTheTotal() throws Exception {
        String name = cluster.createPool();
        cluster.mon(CephFixture.command("osd pool set-quota").put("pool", name).put("field", "max_bytes")
                .put("val", Long.toString(GIB)));
        RbdPool pool = cluster.pool(cluster.ceph.admin().id(), cluster.ceph.admin().key(), name,
                List.of(cluster.monitor()));
        RbdPoolCapacityAnswer answer = read(pool);
        assertTrue(answer.success(), answer.toString());
        assertEquals(GIB, answer.quotaBytes());
        assertEquals(Math.min(GIB, answer.usedBytes() + answer.availableBytes()), answer.totalBytes());
        assertTrue(answer.totalBytes() <= GIB, answer.toString());
        assertMatchesCli(pool);
        JsonNode quota = CephFixture.JSON.readTree(cluster.cli("ceph", "osd", "pool", "get-quota", name, "--format", "json"));
        assertEquals(GIB, quota.get("quota_max_bytes").asLong());
    }

    @Test
    void aMissingPoolIsAClearError() {
        RbdPool missing = cluster.pool(cluster.ceph.admin().id(), cluster.ceph.admin().key(), "no-such-pool-here",
                List.of(cluster.monitor()));
        CephException e = org.junit.jupiter.api.Assertions.assertThrows(CephException.class, () -> read(missing));
        assertEquals("ceph df does not list pool 'no-such-pool-here'", e.getMessage());
        assertFalse(e.getMessage().contains(cluster.ceph.admin().key()));
    }
}
