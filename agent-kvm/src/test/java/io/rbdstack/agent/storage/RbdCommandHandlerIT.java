package io.rbdstack.agent.storage;

import io.rbdstack.testing.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.ceph.TestKeys;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtCephSecrets;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtRbdPools;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityAnswer;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityCommand;
import io.rbdstack.storage.rbd.agent.RemoveRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.ResizeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolCommand;
import io.rbdstack.testing.RealServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RBD commands end to end through their handlers, on the real Ceph and libvirtd. */
class RbdCommandHandlerIT {

    private static final long MIB = 1L << 20;

    private final RealServices services = RealServices.load();
    private final CephFixture cluster = new CephFixture();
    private final LibvirtConnection libvirt = LibvirtConnection.to(services.libvirtUri());
    private final RadosConnector rados = new RadosConnector(RadosTimeouts.standard());
    private final RbdPoolCommands pools = RbdPoolCommands.create(rados, libvirt, new HostFacts(libvirt)::rbdStorageBackend);
    private final CommandHandler handler = CommandHandlerRegistry.of(RbdCommandHandlers.handlers(rados, pools));
    private final List<String> poolUuids = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        // Through a connection of our own: the handler's may be the one under test.
        try (LibvirtConnection own = LibvirtConnection.to(services.libvirtUri())) {
            for (String uuid : poolUuids) {
                new LibvirtRbdPools(own).remove(uuid);
                new LibvirtCephSecrets(own).undefine(uuid);
            }
        }
        libvirt.close();
        cluster.close();
    }

    private RbdPool track(RbdPool pool) {
        poolUuids.add(pool.uuid());
        return pool;
    }

    private static void assertSucceeded(Answer answer) {
        assertTrue(answer.success(), answer.toString());
        assertNull(answer.details(), answer.toString());
    }

    @Test
    void aPoolsWholeLifeWithoutTheKeyInAnyLogLine() throws Exception {
        RbdPool pool = track(cluster.limitedPool());
        String key = pool.cephKey().reveal();
        String urlSafeKey = key.replace('+', '-').replace('/', '_');
        String forged = TestKeys.random(new java.util.Random(5));
        String image = "handler-it-" + UUID.randomUUID();
        try (LogCapture logs = new LogCapture()) {
            assertSucceeded(handler.handle(new TestRbdPoolCommand(pool)));
            long start = System.nanoTime();
            assertSucceeded(handler.handle(new DefineRbdPoolCommand(pool)));
            System.out.printf("DefineRbdPoolCommand: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertEquals(java.util.Set.of(pool.uuid()), pools.definedPools());

            RbdPoolCapacityAnswer capacity = (RbdPoolCapacityAnswer) handler.handle(new RbdPoolCapacityCommand(pool));
            assertTrue(capacity.success() && capacity.availableBytes() > 0, capacity.toString());

            assertEquals(new RbdImageAnswer(true, null, image, 16 * MIB),
                    handler.handle(new CreateRbdImageCommand(pool, image, 16 * MIB)));
            assertEquals(new RbdImageAnswer(true, null, image, 32 * MIB),
                    handler.handle(new ResizeRbdImageCommand(pool, image, 32 * MIB)));
            assertEquals(new RbdImageAnswer(false, "refusing to shrink image " + image + " from 33554432 to 8388608"
                    + " bytes: images only grow", image, 0), handler.handle(new ResizeRbdImageCommand(pool, image, 8 * MIB)));
            assertSucceeded(handler.handle(new DeleteRbdImageCommand(pool, image, 0)));
            assertSucceeded(handler.handle(new DeleteRbdImageCommand(pool, image, 0))); // absent: fine

            // Failures log and answer too; none of them may show a key either.
            RbdPool wrong = new RbdPool(pool.uuid(), pool.monitors(), pool.cephPool(), pool.cephUser(),
                    io.rbdstack.spi.Secret.of(forged));
            TestRbdPoolAnswer refused = (TestRbdPoolAnswer) handler.handle(new TestRbdPoolCommand(wrong));
            assertEquals(TestRbdPoolAnswer.Failure.BAD_CREDENTIALS, refused.failure());
            RbdPool fresh = track(cluster.pool(pool.cephUser(), forged));
            GenericAnswer failedDefine = (GenericAnswer) handler.handle(new DefineRbdPoolCommand(fresh));
            assertFalse(failedDefine.success());
            assertTrue(failedDefine.details().startsWith("cannot define RBD pool " + fresh.uuid() + " in libvirt: "),
                    failedDefine.details());
            assertTrue(new LibvirtRbdPools(libvirt).state(fresh.uuid()).isEmpty(), "a failed first define is undone");
            assertFalse(new LibvirtCephSecrets(libvirt).exists(fresh.uuid()));

            assertSucceeded(handler.handle(new RemoveRbdPoolCommand(pool.uuid())));
            assertTrue(pools.definedPools().isEmpty());
            assertTrue(new LibvirtRbdPools(libvirt).state(pool.uuid()).isEmpty());

            List<String> lines = logs.lines();
            assertTrue(lines.size() > 5, "captured " + lines);
            for (String line : lines) {
                for (String secret : List.of(key, urlSafeKey, forged, key.substring(0, 20), forged.substring(0, 20))) {
                    assertFalse(line.contains(secret), "a key in the log: " + line);
                }
            }
            for (Answer answer : List.of(refused, failedDefine)) {
                assertFalse(answer.toString().contains(forged.substring(0, 20)), answer.toString());
            }
        }
    }

    @Test
    void aHostWhoseLibvirtLacksRbdFailsThePoolTestAfterTheCephChecks() {
        CommandHandler withoutRbd = CommandHandlerRegistry.of(RbdCommandHandlers.handlers(rados,
                RbdPoolCommands.create(rados, libvirt, () -> false)));
        TestRbdPoolAnswer answer = (TestRbdPoolAnswer) withoutRbd.handle(new TestRbdPoolCommand(cluster.limitedPool()));
        assertEquals(TestRbdPoolAnswer.Failure.LIBVIRT_WITHOUT_RBD, answer.failure(), answer.toString());
        assertEquals("libvirt on this host has no RBD storage backend (install libvirt-daemon-driver-storage-rbd)",
                answer.details());
    }

    @Test
    void redefineAllRestoresAPoolRemovedBehindItsBack() throws Exception {
        RbdPool pool = track(cluster.adminPool());
        assertSucceeded(handler.handle(new DefineRbdPoolCommand(pool)));
        new LibvirtRbdPools(libvirt).remove(pool.uuid());
        new LibvirtCephSecrets(libvirt).undefine(pool.uuid());
        pools.redefineAll();
        assertTrue(new LibvirtRbdPools(libvirt).state(pool.uuid()).orElseThrow().active());
    }

    /**
     * libvirtd restarts (scripts/libvirt.sh stop + start). The pool's autostart was switched off
     * behind the agent's back first, so only the handler's re-define can bring it back running.
     */
    @Test
    void afterALibvirtdRestartThePoolIsDefinedAndRunningAgain() throws Exception {
        RbdPool pool = track(cluster.limitedPool());
        assertSucceeded(handler.handle(new DefineRbdPoolCommand(pool)));
        libvirt.startWatchdog(Duration.ofMillis(200));
        libvirt.call(connect -> {
            connect.storagePoolLookupByName(pool.uuid()).setAutostart(0);
            return null;
        });

        long start = System.nanoTime();
        try {
            libvirtScript("stop");
        } finally {
            libvirtScript("start"); // libvirtd must run again whatever happened
        }
        System.out.printf("libvirtd stop + start: %d ms%n", (System.nanoTime() - start) / 1_000_000);

        try (LibvirtConnection own = LibvirtConnection.to(services.libvirtUri())) {
            LibvirtRbdPools observed = new LibvirtRbdPools(own);
            Deadline.await("the handler re-defined pool " + pool.uuid() + " after the restart", Duration.ofSeconds(60),
                    () -> observed.state(pool.uuid()).map(s -> s.active() && s.autostart() && s.persistent())
                            .orElse(false));
            System.out.printf("pool running again %d ms after the restart began%n", (System.nanoTime() - start) / 1_000_000);
            assertTrue(new LibvirtCephSecrets(own).exists(pool.uuid()));
        }
        assertTrue(libvirt.check(), "the handler's connection works again");
    }

    private void libvirtScript(String action) throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts").resolve("libvirt.sh");
        // Output through System.out: a child writing to the forked JVM's own stdout corrupts Failsafe's channel.
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), action).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("RBDSTACK_STATE_DIR", services.stateDir().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        System.out.print(output);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "libvirt.sh " + action + " finished in time");
        assertEquals(0, process.exitValue(), "libvirt.sh " + action + ": " + output);
    }
}
