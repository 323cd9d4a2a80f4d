package io.rbdstack.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.ceph.CephKey;
import io.rbdstack.agent.ceph.TestKeys;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.libvirt.LibvirtRbdPools.Change;
import io.rbdstack.agent.libvirt.LibvirtRbdPools.PoolState;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.testing.CephKeyring;
import io.rbdstack.testing.RealServices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.libvirt.LibvirtException;

/** Secrets and rbd pools in the real libvirtd, connecting to the real Ceph. */
class LibvirtStorageIT {

    private final CephFixture cluster = new CephFixture();
    private final LibvirtConnection libvirt = LibvirtConnection.to(RealServices.load().libvirtUri());
    private final LibvirtCephSecrets secrets = new LibvirtCephSecrets(libvirt);
    private final LibvirtRbdPools pools = new LibvirtRbdPools(libvirt);
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String uuid : made) {
            pools.remove(uuid);
            secrets.undefine(uuid);
        }
        libvirt.close();
        cluster.close();
    }

    private Change define(RbdPool pool) throws Exception {
        made.add(pool.uuid());
        long start = System.nanoTime();
        String secretUuid = secrets.define(pool, CephKey.parse(pool.cephKey()));
        Change change = pools.define(pool, secretUuid);
        System.out.printf("define %s as client.%s: %s in %d ms%n", pool.uuid(), pool.cephUser(), change,
                (System.nanoTime() - start) / 1_000_000);
        return change;
    }

    private PoolState assertRunning(RbdPool pool) throws LibvirtException {
        PoolState state = pools.state(pool.uuid()).orElseThrow();
        assertTrue(state.active() && state.persistent() && state.autostart(), state.toString());
        assertTrue(state.capacityBytes() > 0 && state.availableBytes() > 0, "capacity through libvirt: " + state);
        return state;
    }

    private String inactiveXml(String poolUuid) throws LibvirtException {
        return libvirt.call(connect -> connect.storagePoolLookupByName(poolUuid).getXMLDesc(1));
    }

    @Test
    void hostFactsSayThisLibvirtHasTheRbdBackend() throws Exception {
        HostFacts facts = new HostFacts(libvirt);
        HostInfo info = facts.collect();
        System.out.println("host facts: " + facts.hostname() + " " + info);
        assertTrue(info.rbdStorageBackend());
        assertTrue(info.cpuCount() > 0 && info.cpuSpeedMhz() > 0 && info.memoryBytes() > 1L << 30, info.toString());
        assertTrue(info.libvirtVersion().matches("\\d+\\.\\d+\\.\\d+"), info.libvirtVersion());
        assertTrue(info.qemuVersion().matches("\\d+\\.\\d+\\.\\d+") && !info.qemuVersion().equals("0.0.0"),
                info.qemuVersion());
        assertFalse(facts.hostname().isBlank());
    }

    @Test
    void definesRedefinesReplacesAndRemovesAPoolAndItsSecret() throws Exception {
        RbdPool admin = cluster.adminPool();
        assertEquals(Change.CREATED, define(admin));
        assertRunning(admin);
        assertTrue(secrets.exists(admin.uuid()));
        assertEquals(RbdPoolDefinition.of(admin, LibvirtCephSecrets.secretUuid(admin.uuid())),
                RbdPoolDefinition.fromXml(inactiveXml(admin.uuid())));

        assertEquals(Change.UNCHANGED, define(admin));
        assertRunning(admin);

        // The same pool, now as the pool-limited user: a different definition, so replaced.
        RbdPool limited = new RbdPool(admin.uuid(), admin.monitors(), admin.cephPool(),
                cluster.ceph.limitedUser().id(), io.rbdstack.spi.Secret.of(cluster.ceph.limitedUser().key()));
        assertEquals(Change.REPLACED, define(limited));
        assertRunning(limited);
        String usage = libvirt.call(connect -> connect.secretLookupByUUIDString(
                LibvirtCephSecrets.secretUuid(limited.uuid())).getUsageID());
        assertEquals("client." + cluster.ceph.limitedUser().id() + " " + limited.uuid(), usage);
        assertTrue(inactiveXml(limited.uuid()).contains("username='" + cluster.ceph.limitedUser().id() + "'"));

        pools.refresh(limited.uuid());
        assertTrue(pools.remove(limited.uuid()));
        assertTrue(secrets.undefine(limited.uuid()));
        assertTrue(pools.state(limited.uuid()).isEmpty());
        assertFalse(secrets.exists(limited.uuid()));
        assertFalse(pools.remove(limited.uuid()), "absent is fine");
        assertFalse(secrets.undefine(limited.uuid()), "absent is fine");
    }

    @Test
    void theLimitedUserDefinesItsOwnPool() throws Exception {
        RbdPool limited = cluster.limitedPool();
        assertEquals(Change.CREATED, define(limited));
        assertRunning(limited);
    }

    @Test
    void aUrlSafeKeyWithDashAndUnderscoreReachesLibvirtAsTheSameBytes() throws Exception {
        String key = TestKeys.withAllBase64Specials(System.nanoTime());
        CephKeyring.CephUser user = cluster.importUser(key);
        RbdPool urlSafe = cluster.pool(user.id(), key.replace('+', '-').replace('/', '_'));
        define(urlSafe);
        assertRunning(urlSafe); // libvirt connected to Ceph with the secret's value: the bytes were right
    }

    @Test
    void anIpv6MonitorIsWrittenBareAndLibvirtStillReachesTheNextOne() throws Exception {
        RbdPool pool = cluster.pool(cluster.ceph.limitedUser().id(), cluster.ceph.limitedUser().key(),
                cluster.ceph.pool(), List.of(new CephMonitor("::1", 6789), cluster.monitor()));
        define(pool);
        assertRunning(pool);
        assertTrue(inactiveXml(pool.uuid()).contains("<host name='::1' port='6789'/>"), inactiveXml(pool.uuid()));
    }

    @Test
    void aWrongKeyFailsToStartWithoutTheKeyInTheError() throws Exception {
        String forged = TestKeys.random(new java.util.Random(3));
        RbdPool pool = cluster.pool(cluster.ceph.admin().id(), forged);
        LibvirtException e = assertThrows(LibvirtException.class, () -> define(pool));
        System.out.println("libvirt says: " + e.getMessage());
        assertFalse(e.getMessage().contains(forged));
        PoolState state = pools.state(pool.uuid()).orElseThrow();
        assertFalse(state.active(), "defined but not running: " + state);
    }
}
