package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How long connecting takes, fails and times out on the real cluster (printed for the record). */
class RadosConnectorIT {

    private final CephFixture cluster = new CephFixture();

    @AfterEach
    void cleanUp() throws Exception {
        cluster.close();
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void connectsInMillisecondsAndClosesCleanly() throws Exception {
        RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
        long first = System.nanoTime();
        try (RadosSession session = connector.connect(cluster.limitedPool())) {
            System.out.printf("connect (first in this JVM): %d ms%n", millisSince(first));
            assertEquals(cluster.ceph.pool(), session.ioCtx().getPoolName());
        }
        long total = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            try (RadosSession session = connector.connect(cluster.limitedPool())) {
                total += millisSince(start);
                session.ioCtx();
            }
        }
        System.out.printf("connect (mean of 5 more): %d ms%n", total / 5);
        assertTrue(total / 5 < 5000);
    }

    @Test
    void aWrongKeyFailsAtOnce() {
        RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
        long start = System.nanoTime();
        CephException e = assertThrows(CephException.class, () -> connector.connect(
                cluster.pool(cluster.ceph.limitedUser().id(), TestKeys.random(new Random(9)))));
        long elapsed = millisSince(start);
        System.out.printf("wrong key refused in %d ms: %s%n", elapsed, e.getMessage());
        assertEquals(-13, e.returnCode());
        assertTrue(elapsed < 5000, elapsed + " ms");
    }

    @Test
    void theMountTimeoutIsConfigurable() {
        RadosConnector connector = new RadosConnector(RadosTimeouts.of(Duration.ofSeconds(3)));
        RbdPool dead = cluster.pool(cluster.ceph.admin().id(), cluster.ceph.admin().key(), cluster.ceph.pool(),
                List.of(new CephMonitor("127.0.0.1", 1)));
        long start = System.nanoTime();
        CephException e = assertThrows(CephException.class, () -> connector.connect(dead));
        long elapsed = millisSince(start);
        System.out.printf("no monitor at 127.0.0.1:1, 3 s timeout: failed in %d ms: %s%n", elapsed, e.getMessage());
        assertEquals(-110, e.returnCode());
        assertTrue(elapsed >= 2500 && elapsed < 10_000, elapsed + " ms");
        assertFalse(e.getMessage().contains(cluster.ceph.admin().key()));
    }

    @Test
    void aSecondCommandWithTheSameKeyUsesTheOpenConnection() throws Exception {
        try (RadosConnector connector = new RadosConnector(RadosTimeouts.standard(), Duration.ofSeconds(60))) {
            com.ceph.rados.Rados first;
            long start = System.nanoTime();
            try (RadosSession session = connector.connect(cluster.limitedPool())) {
                first = session.rados();
                session.ioCtx();
            }
            long connected = millisSince(start);
            start = System.nanoTime();
            try (RadosSession session = connector.connect(cluster.limitedPool());
                 RadosSession concurrent = connector.connect(cluster.limitedPool())) {
                assertSame(first, session.rados());
                assertSame(first, concurrent.rados());
                assertEquals(cluster.ceph.pool(), session.ioCtx().getPoolName());
                assertEquals(cluster.ceph.pool(), concurrent.ioCtx().getPoolName());
            }
            long reused = millisSince(start);
            System.out.printf("first command's session: %d ms; the next two, sharing its connection: %d ms%n",
                    connected, reused);
            assertTrue(reused < connected, reused + " ms reusing against " + connected + " ms connecting");
            assertEquals(1, connector.openConnections());
        }
    }

    @Test
    void anotherKeyForTheSameUserNeverUsesTheOpenConnection() throws Exception {
        try (RadosConnector connector = new RadosConnector(RadosTimeouts.standard(), Duration.ofSeconds(60))) {
            try (RadosSession session = connector.connect(cluster.limitedPool())) {
                session.ioCtx();
            }
            RbdPool wrongKey = cluster.pool(cluster.ceph.limitedUser().id(), TestKeys.random(new Random(7)));
            CephException e = assertThrows(CephException.class, () -> connector.connect(wrongKey));
            assertEquals(-13, e.returnCode(), e.getMessage());
            assertEquals(0, connector.openConnections(), "the old key's connection is closed on a credential change");
            assertFalse(e.getMessage().contains(cluster.ceph.limitedUser().key()));
        }
    }

    @Test
    void transfersShareAConnectionOfTheirOwnAndAFailureRetiresBoth() throws Exception {
        try (RadosConnector connector = new RadosConnector(RadosTimeouts.standard(), Duration.ofSeconds(60))) {
            try (RadosSession backup = connector.connect(cluster.limitedPool(), RadosConnector.Traffic.TRANSFERS);
                 RadosSession restore = connector.connect(cluster.limitedPool(), RadosConnector.Traffic.TRANSFERS);
                 RadosSession delete = connector.connect(cluster.limitedPool())) {
                assertSame(backup.rados(), restore.rados(), "transfers share one connection");
                assertNotSame(backup.rados(), delete.rados(), "other commands never queue behind the transfers' data");
                assertEquals(cluster.ceph.pool(), backup.ioCtx().getPoolName());
                assertEquals(cluster.ceph.pool(), delete.ioCtx().getPoolName());
                assertEquals(2, connector.openConnections());
                connector.retireAfter(cluster.limitedPool(), new CephException("timed out", -110));
                assertEquals(0, connector.openConnections(), "a failure that may be the connection's retires both");
                assertEquals(cluster.ceph.pool(), restore.ioCtx().getPoolName(), "a leased one serves on");
            }
        }
    }

    @Test
    void aTransferRetiredWithTheCommandsConnectsAnew() throws Exception {
        try (RadosConnector connector = new RadosConnector(RadosTimeouts.standard(), Duration.ofSeconds(60))) {
            Object retired;
            try (RadosSession transfer = connector.connect(cluster.limitedPool(), RadosConnector.Traffic.TRANSFERS);
                 RadosSession command = connector.connect(cluster.limitedPool(), RadosConnector.Traffic.COMMANDS)) {
                transfer.ioCtx();
                command.ioCtx();
                retired = transfer.rados();
            }
            assertEquals(2, connector.openConnections());
            connector.retireAfter(cluster.limitedPool(), new CephException("timed out", -110));
            assertEquals(0, connector.openConnections(), "a failure that may be the connection's closes both");
            try (RadosSession transfer = connector.connect(cluster.limitedPool(), RadosConnector.Traffic.TRANSFERS)) {
                assertNotSame(retired, transfer.rados(), "connected anew");
                assertEquals(cluster.ceph.pool(), transfer.ioCtx().getPoolName());
            }
            assertEquals(1, connector.openConnections());
        }
    }

    @Test
    void probesAuthenticateOnTheirOwnConnection() throws Exception {
        try (RadosConnector connector = new RadosConnector(RadosTimeouts.standard(), Duration.ofSeconds(60));
             RadosSession shared = connector.connect(cluster.limitedPool());
             RadosSession alone = connector.connectAlone(cluster.limitedPool())) {
            assertNotSame(shared.rados(), alone.rados());
            assertEquals(cluster.ceph.pool(), alone.ioCtx().getPoolName());
        }
    }

    @Test
    void anUnusedConnectionIsClosedAfterItsIdleLifetime() throws Exception {
        try (RadosConnector connector = new RadosConnector(RadosTimeouts.standard(), Duration.ofSeconds(1))) {
            try (RadosSession session = connector.connect(cluster.limitedPool())) {
                session.ioCtx();
            }
            assertEquals(1, connector.openConnections());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (connector.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, connector.openConnections(), "closed by the idle closer (every 1 s, after 1 s idle)");
            try (RadosSession session = connector.connect(cluster.limitedPool())) {
                assertEquals(cluster.ceph.pool(), session.ioCtx().getPoolName(), "the next command connects anew");
            }
        }
    }

    @Test
    void aTimeoutRetiresTheConnectionAndAMissingImageDoesNot() throws Exception {
        try (RadosConnector connector = new RadosConnector(RadosTimeouts.standard(), Duration.ofSeconds(60))) {
            try (RadosSession session = connector.connect(cluster.limitedPool())) {
                session.ioCtx();
            }
            connector.retireAfter(cluster.limitedPool(), new CephException("no such image", -2));
            assertEquals(1, connector.openConnections());
            connector.retireAfter(cluster.limitedPool(), new RuntimeException("wrapped",
                    new CephException("timed out", -110)));
            assertEquals(0, connector.openConnections());
        }
    }
}
