package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Images on the real cluster, as the pool-limited user (what the agent runs as in production). */
class RbdImagesIT {

    private static final long MIB = 1L << 20;

    private final CephFixture cluster = new CephFixture();
    private final RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
    private final RbdPool pool = cluster.limitedPool();
    private final List<String> images = new ArrayList<>();
    private final List<String> trashed = new ArrayList<>();

    private String newImage() {
        String name = "agent-it-" + UUID.randomUUID();
        images.add(name);
        return name;
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (RadosSession session = connector.connect(cluster.adminPool())) {
            for (String image : images) {
                new RbdImages(session).delete(image);
            }
        }
        for (String id : trashed) {
            cluster.cli("rbd", "trash", "rm", "--pool", cluster.ceph.pool(), "--force", id);
        }
        cluster.close();
    }

    @Test
    void createsFormatTwoWithExactlyTheFiveFeaturesThenGrowsAndRefusesToShrink() throws Exception {
        String name = newImage();
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            assertFalse(rbd.exists(name));
            RbdImageInfo created = rbd.create(name, 64 * MIB);
            assertEquals(new RbdImageInfo(name, 64 * MIB, 2, 61), created);
            assertTrue(rbd.exists(name));

            // rados-java's own view: a format-2 image of that size.
            Rbd plain = new Rbd(session.ioCtx());
            RbdImage image = plain.openReadOnly(name);
            try {
                assertFalse(image.isOldFormat());
                assertEquals(64 * MIB, image.stat().size);
            } finally {
                plain.close(image);
            }
            // And the rbd CLI's, by name.
            JsonNode info = CephFixture.JSON.readTree(cluster.cli("rbd", "info", "--format", "json",
                    cluster.ceph.pool() + "/" + name));
            assertEquals(2, info.get("format").asInt());
            Set<String> features = new TreeSet<>();
            info.get("features").forEach(feature -> features.add(feature.asText()));
            assertEquals(new TreeSet<>(Set.of("layering", "exclusive-lock", "object-map", "fast-diff", "deep-flatten")),
                    features);

            assertEquals(128 * MIB, rbd.resize(name, 128 * MIB).sizeBytes());
            assertEquals(128 * MIB, rbd.resize(name, 128 * MIB).sizeBytes(), "same size: nothing to do");
            CephException shrink = assertThrows(CephException.class, () -> rbd.resize(name, 32 * MIB));
            assertEquals("refusing to shrink image " + name + " from 134217728 to 33554432 bytes: images only grow",
                    shrink.getMessage());
            assertEquals(128 * MIB, rbd.info(name).orElseThrow().sizeBytes());

            CephException exists = assertThrows(CephException.class, () -> rbd.create(name, MIB));
            assertEquals(-17, exists.returnCode());
            assertTrue(rbd.delete(name));
            assertFalse(rbd.exists(name));
            assertFalse(rbd.delete(name), "deleting an absent image is not an error");
        }
    }

    @Test
    void createIfAbsentTakesTheSameImageAgainAndRefusesAnotherOfThatName() throws Exception {
        String name = newImage();
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdImageInfo created = rbd.createIfAbsent(name, 64 * MIB);

            assertEquals(created, rbd.createIfAbsent(name, 64 * MIB), "a resent create finds what the first made");
            CephException otherSize = assertThrows(CephException.class, () -> rbd.createIfAbsent(name, 128 * MIB));
            assertEquals(CephErrors.EEXIST, Math.abs(otherSize.returnCode()));
            assertTrue(otherSize.getMessage().contains("image already exists"), otherSize.getMessage());
            CephException strict = assertThrows(CephException.class, () -> rbd.create(name, 64 * MIB));
            assertEquals(CephErrors.EEXIST, Math.abs(strict.returnCode()), "create itself still refuses a taken name");
        }
    }

    @Test
    void deleteRemovesSnapshotsFirstProtectedOnesToo() throws Exception {
        String name = newImage();
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            rbd.create(name, 8 * MIB);
            Rbd plain = new Rbd(session.ioCtx());
            RbdImage image = plain.open(name);
            try {
                image.snapCreate("plain");
                image.snapCreate("protected");
                image.snapProtect("protected");
            } finally {
                plain.close(image);
            }
            assertTrue(rbd.delete(name));
            assertFalse(rbd.exists(name));
        }
    }

    @Test
    void anImageAClientHasOpenIsNotDeletedNorTrashedAndTheRefusalIsAtOnce() throws Exception {
        String name = newImage();
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            rbd.create(name, 8 * MIB);
            Rbd plain = new Rbd(session.ioCtx());
            RbdImage open = plain.open(name); // read-write: a Ceph watch, as QEMU's
            try {
                long begin = System.nanoTime();
                CephException refused = assertThrows(CephException.class, () -> rbd.delete(name));
                CephException notTrashed = assertThrows(CephException.class, () -> rbd.moveToTrash(name, 3600));
                long millis = (System.nanoTime() - begin) / 1_000_000;
                for (CephException e : List.of(refused, notTrashed)) {
                    assertEquals(-CephErrors.EBUSY, e.returnCode(), e.getMessage());
                    assertTrue(e.getMessage().contains("a client still has it open"), e.getMessage());
                }
                assertTrue(millis < 3000, "refused at once, not after librbd's lock wait: " + millis + " ms");
                assertTrue(rbd.exists(name), "the image stays");
            } finally {
                plain.close(open);
            }
            assertTrue(rbd.delete(name), "deleted once nobody has it open");
            assertFalse(rbd.exists(name));
        }
    }

    @Test
    void deferredDeleteMovesTheImageToTheTrashWithoutItsSnapshots() throws Exception {
        String name = newImage();
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            rbd.create(name, 8 * MIB);
            Rbd plain = new Rbd(session.ioCtx());
            RbdImage image = plain.open(name);
            try {
                image.snapCreate("s1");
                image.snapProtect("s1");
            } finally {
                plain.close(image);
            }
            assertTrue(rbd.moveToTrash(name, 3600));
            assertFalse(rbd.exists(name));
            assertFalse(rbd.moveToTrash(name, 3600), "already gone");
        }
        JsonNode trash = CephFixture.JSON.readTree(cluster.cli("rbd", "trash", "ls", "--long", "--format", "json",
                "--pool", cluster.ceph.pool()));
        JsonNode entry = null;
        for (JsonNode candidate : trash) {
            if (name.equals(candidate.get("name").asText())) {
                entry = candidate;
            }
        }
        assertTrue(entry != null, "in the trash: " + trash);
        trashed.add(entry.get("id").asText());
        assertEquals("USER", entry.get("source").asText(), entry.toString());
        // "protected until <deletion + delay>"; an image trashed without delay shows "expired at …".
        assertTrue(entry.get("status").asText().startsWith("protected until"), "deferred: " + entry);
        String id = entry.get("id").asText();
        // No snapshots left behind, so a purge after the delay can remove it.
        JsonNode snaps = CephFixture.JSON.readTree(cluster.cli("rbd", "snap", "ls", "--format", "json",
                "--pool", cluster.ceph.pool(), "--image-id", id));
        assertEquals(0, snaps.size(), snaps.toString());
    }
}
