package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Groups and group snapshots on the real cluster, as the pool-limited user the agent runs as. */
class RbdGroupsIT {

    private static final long MIB = 1L << 20;

    private final CephFixture cluster = new CephFixture();
    private final RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
    private final RbdPool pool = cluster.limitedPool();
    private final List<String> images = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();

    private String name(String kind) {
        String name = "grp-it-" + kind + "-" + UUID.randomUUID().toString().substring(0, 13);
        (kind.equals("g") ? groups : images).add(name);
        return name;
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (RadosSession session = connector.connect(cluster.adminPool())) {
            for (String group : groups) {
                new RbdGroups(session).removeGroup(group);
            }
            for (String image : images) {
                new RbdImages(session).delete(image);
            }
        }
        cluster.close();
    }

    /** Two 8 MiB images with different data. */
    private List<String> twoImages(RadosSession session) throws Exception {
        String a = name("a");
        String b = name("b");
        new RbdImages(session).create(a, 8 * MIB);
        new RbdImages(session).create(b, 8 * MIB);
        RbdData.write(session.ioCtx(), a, 0, RbdData.bytes((int) MIB, 1));
        RbdData.write(session.ioCtx(), b, 3 * MIB, RbdData.bytes((int) MIB, 2));
        return List.of(a, b);
    }

    /** {@link #twoImages} with group snapshot {@code group@s1} of them. */
    private List<String> snapshotOfTwoImages(RadosSession session, String group) throws Exception {
        List<String> both = twoImages(session);
        new RbdGroups(session).createGroupSnapshot(group, both, "s1");
        return both;
    }

    private String sha(RadosSession session, String image) throws Exception {
        return RbdData.sha256(session.ioCtx(), image, null);
    }

    private JsonNode cliSnapshots(String image) throws Exception {
        return CephFixture.JSON.readTree(cluster.cli("rbd", "snap", "ls", "--all", "--format", "json", "--pool",
                cluster.ceph.pool(), image));
    }

    @Test
    void rollbackPutsBothImagesBackByteForByte() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = twoImages(session);
            String a = sha(session, both.get(0));
            String b = sha(session, both.get(1));
            assertNotEquals(a.split(":")[1], b.split(":")[1]);
            RbdGroups groups = new RbdGroups(session);
            groups.createGroupSnapshot(group, both, "s1");
            RbdData.write(session.ioCtx(), both.get(0), 0, RbdData.bytes((int) MIB, 3));
            RbdData.write(session.ioCtx(), both.get(1), 3 * MIB, RbdData.bytes((int) MIB, 4));
            RbdData.write(session.ioCtx(), both.get(1), 6 * MIB, RbdData.bytes(4096, 5));
            assertNotEquals(a, sha(session, both.get(0)));
            assertNotEquals(b, sha(session, both.get(1)));

            AtomicLong reported = new AtomicLong(-1);
            groups.rollbackGroupSnapshot(group, "s1", (done, total) -> reported.set(total));

            assertEquals(a, sha(session, both.get(0)));
            assertEquals(b, sha(session, both.get(1)));
            assertTrue(reported.get() > 0, "librbd reported the rollback's progress");
        }
    }

    @Test
    void oneGroupSnapshotIsOneSnapshotOfEachImageInTheGroupNamespace() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = twoImages(session);
            new RbdImages(session).resize(both.get(1), 16 * MIB);
            RbdGroups groups = new RbdGroups(session);
            RbdGroups.TakenGroupSnapshot taken = groups.createGroupSnapshot(group, both, "vm-snap-1");

            assertEquals(List.of(new RbdGroups.GroupSnapshot("vm-snap-1", true)), groups.listGroupSnapshots(group));
            assertEquals(both, taken.images().stream().map(RbdGroups.ImageSnapshot::image).toList());
            assertEquals(List.of(8 * MIB, 16 * MIB),
                    taken.images().stream().map(RbdGroups.ImageSnapshot::sizeBytes).toList());
            assertEquals(both.stream().sorted().toList(), groups.images(group).stream().sorted().toList());
            for (int i = 0; i < 2; i++) {
                JsonNode snapshots = cliSnapshots(both.get(i));
                assertEquals(1, snapshots.size(), snapshots.toString());
                JsonNode namespace = snapshots.get(0).get("namespace");
                assertEquals("group", namespace.get("type").asText(), snapshots.toString());
                assertEquals(group, namespace.get("group").asText(), snapshots.toString());
                assertEquals("vm-snap-1", namespace.get("group snap").asText(), snapshots.toString());
                assertEquals(taken.images().get(i).snapshotId(), snapshots.get(0).get("id").asLong());
            }
            // A retry after a lost answer finds it taken: the same image snapshots, no second one.
            assertEquals(taken, groups.createGroupSnapshot(group, both, "vm-snap-1"));
            assertEquals(1, cliSnapshots(both.get(0)).size());
        }
    }

    @Test
    void deleteRemovesTheSnapshotFromEveryImageAndIsIdempotent() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = snapshotOfTwoImages(session, group);
            RbdGroups groups = new RbdGroups(session);
            groups.createGroupSnapshot(group, both, "s2");

            assertTrue(groups.deleteGroupSnapshot(group, "s1"));

            assertEquals(List.of(new RbdGroups.GroupSnapshot("s2", true)), groups.listGroupSnapshots(group));
            for (String image : both) {
                JsonNode snapshots = cliSnapshots(image);
                assertEquals(1, snapshots.size(), snapshots.toString());
                assertEquals("s2", snapshots.get(0).get("namespace").get("group snap").asText());
            }
            assertFalse(groups.deleteGroupSnapshot(group, "s1"));
            assertFalse(groups.deleteGroupSnapshot(name("g"), "s1"), "no such group");
        }
    }

    @Test
    void rollbackIsRefusedWhileAnotherClientHoldsAnImagesExclusiveLock() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool);
             RadosSession writer = connector.connect(cluster.adminPool())) {
            List<String> both = snapshotOfTwoImages(session, group);
            RbdGroups groups = new RbdGroups(session);
            RbdData.write(session.ioCtx(), both.get(0), 0, RbdData.bytes((int) MIB, 3));
            RbdData.write(session.ioCtx(), both.get(1), 3 * MIB, RbdData.bytes((int) MIB, 4));
            String aNow = sha(session, both.get(0));

            // Another client (a running VM's QEMU) writes to the second image and keeps it open.
            Rbd rbd = new Rbd(writer.ioCtx());
            RbdImage open = rbd.open(both.get(1));
            try {
                open.write(RbdData.bytes(4096, 9), 7 * MIB, 4096);
                CephException refused = assertThrows(CephException.class,
                        () -> groups.rollbackGroupSnapshot(group, "s1", ProgressReporter.NONE));
                assertTrue(refused.getMessage().contains("is in use") && refused.getMessage().contains(both.get(1))
                        && refused.getMessage().contains("stop the VM first"), refused.getMessage());
                assertEquals(-CephErrors.EBUSY, refused.returnCode());
                assertEquals(aNow, sha(session, both.get(0)), "nothing was rolled back");
            } finally {
                rbd.close(open);
            }
            groups.rollbackGroupSnapshot(group, "s1", ProgressReporter.NONE); // once the writer is gone it works
        }
    }

    @Test
    void rollbackIsRefusedWhileAClientKeepsTheLockForItself() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool);
             RadosSession holder = connector.connect(cluster.adminPool())) {
            List<String> both = snapshotOfTwoImages(session, group);
            Rbd rbd = new Rbd(holder.ioCtx());
            RbdImage open = rbd.open(both.get(0));
            try {
                assertEquals(0, LibRbd.INSTANCE.rbd_lock_acquire(open.getPointer(), LibRbd.LOCK_MODE_EXCLUSIVE));
                CephException refused = assertThrows(CephException.class,
                        () -> new RbdGroups(session).rollbackGroupSnapshot(group, "s1", ProgressReporter.NONE));
                assertTrue(refused.getMessage().contains("stop the VM first"), refused.getMessage());
            } finally {
                rbd.close(open);
            }
        }
    }

    @Test
    void anImageInAnotherGroupIsRefusedByName() throws Exception {
        String first = name("g");
        String second = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = twoImages(session);
            RbdGroups groups = new RbdGroups(session);
            groups.createGroupSnapshot(first, List.of(both.get(0)), "s1");

            CephException refused = assertThrows(CephException.class,
                    () -> groups.createGroupSnapshot(second, both, "s1"));

            assertEquals("image " + cluster.ceph.pool() + "/" + both.get(0) + " already belongs to group " + first
                    + " (an image can be in one group only)", refused.getMessage());
            assertEquals(List.of(), groups.listGroupSnapshots(second));
        }
    }

    @Test
    void theGroupHoldsExactlyTheImagesOfTheLatestSnapshot() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = snapshotOfTwoImages(session, group);
            RbdGroups groups = new RbdGroups(session);
            RbdGroups.TakenGroupSnapshot second = groups.createGroupSnapshot(group, List.of(both.get(1)), "s2");

            assertEquals(List.of(both.get(1)), groups.images(group));
            assertEquals(List.of(both.get(1)), second.images().stream().map(RbdGroups.ImageSnapshot::image).toList());
            assertEquals(1, cliSnapshots(both.get(0)).size(), "the image that left keeps its snapshot of s1");
            assertEquals(2, cliSnapshots(both.get(1)).size());
        }
    }

    @Test
    void aVolumeInAGroupIsDeletedOnceNoGroupSnapshotHoldsIt() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = twoImages(session);
            RbdGroups groups = new RbdGroups(session);
            RbdImages rbdImages = new RbdImages(session);
            groups.createGroupSnapshot(group, both, "s1");

            CephException refused = assertThrows(CephException.class, () -> rbdImages.delete(both.get(0)));
            assertEquals("cannot delete image " + cluster.ceph.pool() + "/" + both.get(0) + ": group snapshot(s) "
                    + group + "@s1 (VM snapshots) still hold it; delete them first", refused.getMessage());
            assertThrows(CephException.class, () -> rbdImages.moveToTrash(both.get(1), 0));
            assertTrue(rbdImages.exists(both.get(0)));

            assertTrue(groups.deleteGroupSnapshot(group, "s1"));
            assertTrue(rbdImages.delete(both.get(0)), "in the group, without snapshots: it leaves the group first");
            assertFalse(rbdImages.exists(both.get(0)));
            assertEquals(List.of(both.get(1)), groups.images(group));
            assertTrue(rbdImages.moveToTrash(both.get(1), 0));
            assertEquals(List.of(), groups.images(group));
            assertTrue(new RbdTrash(session).purge(both.get(1)).purged(), "a trashed image outside any group purges");
        }
    }

    @Test
    void aVolumeThatLeftTheGroupIsDeletedOnceItsGroupSnapshotIsGone() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = snapshotOfTwoImages(session, group);
            RbdGroups groups = new RbdGroups(session);
            groups.createGroupSnapshot(group, List.of(both.get(1)), "s2");
            assertThrows(CephException.class, () -> new RbdImages(session).delete(both.get(0)),
                    "s1 still has a snapshot of it, though it left the group");

            groups.deleteGroupSnapshot(group, "s1");

            assertTrue(new RbdImages(session).delete(both.get(0)));
        }
    }

    /**
     * A group gone behind librbd's back (its header and directory entries removed by hand, or with its pool): its
     * images keep their snapshots of it and a link to it, which nothing can list or remove through the group any
     * more. Deleting such an image deletes those snapshots and the link; another
     * group's snapshot of one drops the link first.
     */
    @Test
    void anImageWhoseGroupIsGoneIsDeletedWithTheSnapshotsTheGroupLeft() throws Exception {
        String group = name("g");
        String image;
        String other;
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = snapshotOfTwoImages(session, group);
            image = both.get(0);
            other = both.get(1);
        }
        String pool = cluster.ceph.pool();
        // The image's snapshot of it is named ".group.<pool id>_<group id>_<group snapshot id>".
        String groupId = cliSnapshots(image).get(0).get("name").asText().split("_")[1];
        assertTrue(cluster.cli("rados", "--pool", pool, "listomapkeys", "rbd_group_directory").contains(
                "id_" + groupId), "group " + group + " has id " + groupId);
        cluster.cli("rados", "--pool", pool, "rm", "rbd_group_header." + groupId);
        cluster.cli("rados", "--pool", pool, "rmomapkey", "rbd_group_directory", "name_" + group);
        cluster.cli("rados", "--pool", pool, "rmomapkey", "rbd_group_directory", "id_" + groupId);
        assertEquals(1, cliSnapshots(image).size(), "the image keeps the gone group's snapshot");

        try (RadosSession session = connector.connect(this.pool)) {
            RbdGroups groups = new RbdGroups(session);
            assertFalse(groups.exists(group));
            assertEquals(List.of(), groups.listGroupSnapshots(group));
            assertTrue(new RbdImages(session).delete(image));
            assertFalse(new RbdImages(session).exists(image));

            String next = name("g");
            groups.createGroupSnapshot(next, List.of(other), "s1");
            assertEquals(List.of(other), groups.images(next));
            assertEquals(List.of("s1"), groups.listGroupSnapshots(next).stream().map(RbdGroups.GroupSnapshot::name)
                    .toList());
        }
    }

    /** An image whose copy of its header is stale, or a caller mistaken: a live group's link is never dropped. */
    @Test
    void aLinkToALiveGroupIsNeverDroppedAsGone() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = snapshotOfTwoImages(session, group);
            Rbd rbd = new Rbd(session.ioCtx());
            RbdImage image = rbd.open(both.get(0));
            try {
                CephException refused = assertThrows(CephException.class,
                        () -> RbdImageGroup.leaveGoneGroup(session, image));
                assertEquals(-CephErrors.EAGAIN, refused.returnCode(), refused.getMessage());
                assertTrue(refused.getMessage().contains("changed meanwhile"), refused.getMessage());
            } finally {
                rbd.close(image);
            }
            assertEquals(java.util.Optional.of(group), RbdImageGroup.groupForJoining(session, both.get(0)));
            assertEquals(both.stream().sorted().toList(), new RbdGroups(session).images(group).stream().sorted()
                    .toList());
        }
    }

    @Test
    void removeGroupDeletesItsSnapshotsAndKeepsItsImages() throws Exception {
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = snapshotOfTwoImages(session, group);
            RbdGroups groups = new RbdGroups(session);
            groups.createGroupSnapshot(group, both, "s2");
            assertTrue(groups.exists(group));

            assertTrue(groups.removeGroup(group));

            assertFalse(groups.exists(group));
            assertFalse(groups.list().contains(group));
            for (String image : both) {
                assertEquals(0, cliSnapshots(image).size());
                assertTrue(new RbdImages(session).exists(image));
            }
            assertFalse(groups.removeGroup(group));
        }
    }

    @Test
    void listsReadLibrbdsStructuresAtTheSizeLibrbdChecks() throws Exception {
        // librbd refuses (ERANGE) an info size other than its own sizeof: the JNA layouts match the header's.
        assertEquals(24, new LibRbd.GroupImageInfo().size());
        assertEquals(16, new LibRbd.GroupSnapInfo().size());
        assertEquals(16, new LibRbd.GroupInfo().size());
        assertEquals(24, new LibRbd.SnapGroupNamespace().size());
        String group = name("g");
        try (RadosSession session = connector.connect(pool)) {
            List<String> both = snapshotOfTwoImages(session, group);
            RbdGroups groups = new RbdGroups(session);
            assertEquals(both.stream().sorted().toList(), groups.images(group).stream().sorted().toList());
            assertEquals(1, groups.listGroupSnapshots(group).size());
            assertEquals(java.util.Optional.of(group), RbdImageGroup.groupForJoining(session, both.get(0)));
        }
    }
}
