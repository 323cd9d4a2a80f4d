package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer.Failure;
import io.rbdstack.testing.CephKeyring;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every verdict of the pool test, against the real cluster, with the standard 15 s timeouts. */
class RbdPoolProbeIT {

    private final CephFixture cluster = new CephFixture();
    private final RbdPoolProbe probe = new RbdPoolProbe(new RadosConnector(RadosTimeouts.standard()));

    @AfterEach
    void cleanUp() throws Exception {
        cluster.close();
    }

    private TestRbdPoolAnswer timed(String what, RbdPool pool) {
        long start = System.nanoTime();
        TestRbdPoolAnswer answer = probe.probe(pool);
        System.out.printf("probe %-40s %6d ms  %s%n", what, (System.nanoTime() - start) / 1_000_000, answer);
        return answer;
    }

    private static void assertOk(TestRbdPoolAnswer answer) {
        assertTrue(answer.success(), answer.toString());
        assertNull(answer.failure());
    }

    private static void assertFailure(Failure expected, TestRbdPoolAnswer answer) {
        assertEquals(expected, answer.failure(), answer.toString());
        assertTrue(!answer.success() && answer.details() != null, answer.toString());
    }

    @Test
    void adminAndThePoolLimitedUserPass() {
        assertOk(timed("admin", cluster.adminPool()));
        assertOk(timed("limited", cluster.limitedPool()));
        RbdPool v2 = cluster.pool(cluster.ceph.limitedUser().id(), cluster.ceph.limitedUser().key(), cluster.ceph.pool(),
                List.of(new CephMonitor(cluster.ceph.monHost(), cluster.ceph.monV2Port())));
        assertOk(timed("limited over msgr2 (3300)", v2));
    }

    @Test
    void aWrongKeyOrUnknownUserIsBadCredentials() {
        String forged = TestKeys.random(new Random(1));
        TestRbdPoolAnswer wrongKey = timed("wrong key", cluster.pool(cluster.ceph.admin().id(), forged));
        assertFailure(Failure.BAD_CREDENTIALS, wrongKey);
        assertEquals("cannot connect to Ceph at " + cluster.monitor().monHostEntry()
                + " as client.admin: EACCES (-13) (cephx refused the user or its key)", wrongKey.details());
        assertFailure(Failure.BAD_CREDENTIALS, timed("unknown user", cluster.pool("nobody-" + System.nanoTime(), forged)));
        TestRbdPoolAnswer malformed = timed("malformed key", cluster.pool("admin", "AQB-not@a!key"));
        assertFailure(Failure.BAD_CREDENTIALS, malformed);
        assertEquals("the cephx key is not base64 (standard or URL-safe)", malformed.details());
    }

    @Test
    void aMissingPoolIsNoSuchPool() {
        TestRbdPoolAnswer answer = timed("missing pool", cluster.pool(cluster.ceph.limitedUser().id(),
                cluster.ceph.limitedUser().key(), "no-such-pool", List.of(cluster.monitor())));
        assertFailure(Failure.NO_SUCH_POOL, answer);
        assertEquals("Ceph pool 'no-such-pool' does not exist (ENOENT (-2))", answer.details());
    }

    @Test
    void aUserThatMayOnlyReadOrMayNotTouchThePoolIsNotWritable() throws Exception {
        CephKeyring.CephUser readOnly = cluster.createUser("mon", "profile rbd", "osd",
                "profile rbd-read-only pool=" + cluster.ceph.pool());
        TestRbdPoolAnswer answer = timed("read-only user", cluster.pool(readOnly.id(), readOnly.key()));
        assertFailure(Failure.NOT_WRITABLE, answer);
        assertEquals("client." + readOnly.id() + " cannot write to Ceph pool 'rbd': EPERM (-1)", answer.details());

        String otherPool = cluster.createPool();
        assertFailure(Failure.NOT_WRITABLE, timed("limited user, another pool", cluster.pool(
                cluster.ceph.limitedUser().id(), cluster.ceph.limitedUser().key(), otherPool, List.of(cluster.monitor()))));
    }

    @Test
    void noMonitorListeningIsUnreachableWithinTheTimeout() {
        RbdPool dead = cluster.pool(cluster.ceph.admin().id(), cluster.ceph.admin().key(), cluster.ceph.pool(),
                List.of(new CephMonitor("127.0.0.1", 1)));
        long start = System.nanoTime();
        TestRbdPoolAnswer answer = timed("unreachable monitor 127.0.0.1:1", dead);
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        assertFailure(Failure.MONITORS_UNREACHABLE, answer);
        assertEquals("cannot connect to Ceph at 127.0.0.1:1 as client.admin: ETIMEDOUT (-110)"
                + " (no monitor answered within 15 s)", answer.details());
        assertTrue(seconds < 30, "answered after " + seconds + " s");

        TestRbdPoolAnswer unresolvable = timed("unresolvable monitor", cluster.pool(cluster.ceph.admin().id(),
                cluster.ceph.admin().key(), cluster.ceph.pool(), List.of(new CephMonitor("no-such-host.invalid", 6789))));
        assertFailure(Failure.MONITORS_UNREACHABLE, unresolvable);
        assertEquals("cannot connect to Ceph at no-such-host.invalid:6789 as client.admin: no monitor name resolves:"
                + " no-such-host.invalid", unresolvable.details());
    }

    @Test
    void aWrongFirstMonitorDoesNotMatterWhileAnotherAnswers() {
        assertOk(timed("dead first monitor, then the real one", cluster.pool(cluster.ceph.limitedUser().id(),
                cluster.ceph.limitedUser().key(), cluster.ceph.pool(),
                List.of(new CephMonitor("127.0.0.1", 1), cluster.monitor()))));
        // librados alone would refuse this whole mon_host (EINVAL): the agent skips the stale name.
        assertOk(timed("unresolvable name first, then the real one", cluster.pool(cluster.ceph.limitedUser().id(),
                cluster.ceph.limitedUser().key(), cluster.ceph.pool(),
                List.of(new CephMonitor("no-such-host.invalid", 6789), cluster.monitor()))));
        assertOk(timed("IPv6 ::1 first (nothing there), then the real one", cluster.pool(cluster.ceph.limitedUser().id(),
                cluster.ceph.limitedUser().key(), cluster.ceph.pool(),
                List.of(new CephMonitor("::1", 6789), cluster.monitor()))));
    }

    @Test
    void keysWithEveryBase64SpecialCharacterWorkInBothAlphabets() throws Exception {
        String key = TestKeys.withAllBase64Specials(System.nanoTime());
        CephKeyring.CephUser user = cluster.importUser(key);
        assertOk(timed("imported key with + / =", cluster.pool(user.id(), key)));
        String urlSafe = key.replace('+', '-').replace('/', '_');
        assertTrue(urlSafe.contains("-") && urlSafe.contains("_"), urlSafe);
        assertOk(timed("same key URL-safe with - _", cluster.pool(user.id(), urlSafe)));
    }
}
