package io.rbdstack.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.ceph.RbdGroups;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.storage.rbd.agent.CreateRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.ListRbdGroupSnapshotsCommand;
import io.rbdstack.storage.rbd.agent.RbdGroupRollbackAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotsAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RollbackRbdGroupSnapshotCommand;
import io.rbdstack.testing.LogCapture;
import io.rbdstack.testing.RealServices;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group snapshot commands as the agent runs them, on the real cluster as the pool-limited user. */
class RbdGroupCommandsIT {

    private static final long MIB = 1L << 20;

    private final RealServices services = RealServices.load();
    private final CephFixture cluster = new CephFixture();
    private final LibvirtConnection libvirt = LibvirtConnection.to(services.libvirtUri());
    private final RadosConnector rados = new RadosConnector(RadosTimeouts.standard());
    private final CommandHandler handler = CommandHandlerRegistry.of(RbdCommandHandlers.handlers(rados,
            RbdPoolCommands.create(rados, libvirt, new HostFacts(libvirt)::rbdStorageBackend)));
    private final RbdPool pool = cluster.limitedPool();
    private final String prefix = "grpcmd-it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final List<String> images = List.of(prefix + "root", prefix + "data");
    private final String group = prefix + "vm";

    @AfterEach
    void cleanUp() throws Exception {
        try (RadosSession session = rados.connect(cluster.adminPool())) {
            new RbdGroups(session).removeGroup(group);
            new RbdGroups(session).removeGroup(prefix + "other");
            for (String image : images) {
                new RbdImages(session).delete(image);
            }
        }
        libvirt.close();
        cluster.close();
    }

    private static void assertSucceeded(Answer answer) {
        assertTrue(answer.success(), answer.toString());
    }

    @Test
    void aVmSnapshotsWholeLifeThroughTheAgentsHandlersWithoutTheKeyInAnyLogLine() throws Exception {
        try (LogCapture logs = new LogCapture();
             RadosSession test = rados.connect(cluster.adminPool())) {
            assertSucceeded(handler.handle(new CreateRbdImageCommand(pool, images.get(0), 8 * MIB)));
            assertSucceeded(handler.handle(new CreateRbdImageCommand(pool, images.get(1), 16 * MIB)));
            RbdData.write(test.ioCtx(), images.get(0), 0, RbdData.bytes((int) MIB, 1));
            RbdData.write(test.ioCtx(), images.get(1), 9 * MIB, RbdData.bytes((int) MIB, 2));
            String root = RbdData.sha256(test.ioCtx(), images.get(0), null);
            String data = RbdData.sha256(test.ioCtx(), images.get(1), null);

            long start = System.nanoTime();
            RbdGroupSnapshotAnswer taken = assertInstanceOf(RbdGroupSnapshotAnswer.class,
                    handler.handle(new CreateRbdGroupSnapshotCommand(pool, group, images, "vmsnap-1")));
            System.out.printf("rbd.groupSnapshotCreate of 2 images: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertEquals(new RbdGroupSnapshotAnswer(true, null, group, "vmsnap-1", List.of(
                    new RbdGroupSnapshotAnswer.ImageSize(images.get(0), 8 * MIB),
                    new RbdGroupSnapshotAnswer.ImageSize(images.get(1), 16 * MIB)), false), taken);
            assertEquals(new RbdGroupSnapshotsAnswer(true, null, List.of(new RbdGroupSnapshotsAnswer.Entry("vmsnap-1",
                    true))), handler.handle(new ListRbdGroupSnapshotsCommand(pool, group)));

            RbdData.write(test.ioCtx(), images.get(0), 0, RbdData.bytes((int) MIB, 3));
            RbdData.write(test.ioCtx(), images.get(1), 9 * MIB, RbdData.bytes((int) MIB, 4));

            // A running VM: a client that wrote to the root disk and keeps it open.
            Rbd rbd = new Rbd(test.ioCtx());
            RbdImage vm = rbd.open(images.get(0));
            try {
                vm.write(RbdData.bytes(512, 5), 0, 512);
                RbdGroupRollbackAnswer refused = assertInstanceOf(RbdGroupRollbackAnswer.class,
                        handler.handle(new RollbackRbdGroupSnapshotCommand(pool, group, "vmsnap-1")));
                assertFalse(refused.success());
                assertTrue(refused.inUse(), refused.toString());
                assertTrue(refused.details().contains("stop the VM first"), refused.details());
            } finally {
                rbd.close(vm);
            }
            start = System.nanoTime();
            assertEquals(new RbdGroupRollbackAnswer(true, null, false),
                    handler.handle(new RollbackRbdGroupSnapshotCommand(pool, group, "vmsnap-1")));
            System.out.printf("rbd.groupSnapshotRollback of 2 images: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertEquals(root, RbdData.sha256(test.ioCtx(), images.get(0), null));
            assertEquals(data, RbdData.sha256(test.ioCtx(), images.get(1), null));

            // An image already in this group cannot join another: the request's own fault.
            RbdGroupSnapshotAnswer other = assertInstanceOf(RbdGroupSnapshotAnswer.class, handler.handle(
                    new CreateRbdGroupSnapshotCommand(pool, prefix + "other", List.of(images.get(1)), "s")));
            assertFalse(other.success());
            assertTrue(other.invalidRequest(), other.toString());

            // A volume held by the VM snapshot is kept; once that is deleted it goes.
            assertFalse(handler.handle(new DeleteRbdImageCommand(pool, images.get(1), 0)).success());
            assertSucceeded(handler.handle(new DeleteRbdGroupSnapshotCommand(pool, group, "vmsnap-1")));
            assertSucceeded(handler.handle(new DeleteRbdGroupSnapshotCommand(pool, group, "vmsnap-1")));
            assertEquals(new RbdGroupSnapshotsAnswer(true, null, List.of()),
                    handler.handle(new ListRbdGroupSnapshotsCommand(pool, group)));
            assertSucceeded(handler.handle(new DeleteRbdImageCommand(pool, images.get(1), 0)));

            assertSucceeded(handler.handle(new DeleteRbdGroupCommand(pool, group)));
            assertSucceeded(handler.handle(new DeleteRbdGroupCommand(pool, group)));
            assertFalse(new RbdGroups(test).exists(group));
            assertTrue(new RbdImages(test).exists(images.get(0)), "the group's images are kept");

            String key = pool.cephKey().reveal();
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains(key)), "no log line shows the key");
        }
    }
}
