package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clones of a template that sit in the RBD trash (deleted volumes not yet purged) on the real cluster: listed
 * as children (rbd_list_children3), named when they block the template's delete, and purged or flattened by a
 * forced delete.
 */
class RbdTemplateTrashedClonesIT {

    private static final long MIB = 1L << 20;

    private final CephFixture cluster = new CephFixture();
    private final RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
    private final RbdPool pool = cluster.limitedPool();
    private final String prefix = "tclone-it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final String template = prefix + "tmpl";
    private final List<String> clones = List.of(prefix + "live", prefix + "deferred", prefix + "expired");

    @AfterEach
    void cleanUp() throws Exception {
        for (JsonNode entry : trash()) {
            if (entry.get("name").asText().startsWith(prefix)) {
                cluster.cli("rbd", "trash", "rm", "--pool", cluster.ceph.pool(), "--force", entry.get("id").asText());
            }
        }
        try (RadosSession session = connector.connect(cluster.adminPool())) {
            for (String clone : clones) {
                new RbdImages(session).delete(clone);
            }
            new RbdImages(session).delete(template);
        }
        cluster.close();
    }

    private JsonNode trash() throws Exception {
        return CephFixture.JSON.readTree(cluster.cli("rbd", "trash", "ls", "--format", "json", "--pool",
                cluster.ceph.pool()));
    }

    private String trashId(String name) throws Exception {
        for (JsonNode entry : trash()) {
            if (entry.get("name").asText().equals(name)) {
                return entry.get("id").asText();
            }
        }
        return null;
    }

    @Test
    void trashedClonesAreChildrenThatBlockTheDeleteUntilAForcedDeletePurgesOrFlattensThem() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages images = new RbdImages(session);
            RbdTemplates templates = new RbdTemplates(session);
            images.create(template, 8 * MIB);
            RbdData.write(session.ioCtx(), template, 2 * MIB, RbdData.bytes((int) MIB, 7));
            String content = RbdData.sha256(session.ioCtx(), template, null);
            templates.protectBase(template, "base");
            for (String clone : clones) {
                templates.cloneTemplate(template, "base", clone, 8 * MIB);
            }
            assertTrue(images.moveToTrash(clones.get(1), 3600));
            assertTrue(images.moveToTrash(clones.get(2), 0));

            List<RbdChildren.Child> children = RbdChildren.of(session, template, "base");
            assertEquals(List.of(clones.get(1) + "=true", clones.get(2) + "=true", clones.get(0) + "=false"),
                    children.stream().map(c -> c.image() + "=" + c.inTrash()).sorted().toList());
            assertEquals(trashId(clones.get(1)), children.stream().filter(c -> c.image().equals(clones.get(1)))
                    .findFirst().orElseThrow().imageId());
            assertTrue(children.stream().allMatch(c -> c.pool().equals(cluster.ceph.pool())));
            Rbd rbd = new Rbd(session.ioCtx());
            RbdImage parent = rbd.openReadOnly(template, "base");
            try {
                assertEquals(List.of(cluster.ceph.pool() + "/" + clones.get(0)), parent.listChildren("base"),
                        "the legacy call rados-java makes leaves the trashed clones out");
            } finally {
                rbd.close(parent);
            }

            CephException live = assertThrows(CephException.class,
                    () -> templates.delete(template, "base", true, ProgressReporter.NONE));
            assertEquals("cannot delete template image " + cluster.ceph.pool() + "/" + template + ": 1 clone(s)"
                    + " depend on it: " + cluster.ceph.pool() + "/" + clones.get(0) + " (flatten or delete them first)",
                    live.getMessage());
            assertEquals(-CephErrors.EBUSY, live.returnCode());
            assertTrue(images.delete(clones.get(0)));

            CephException trashed = assertThrows(CephException.class,
                    () -> templates.delete(template, "base", false, ProgressReporter.NONE));
            assertTrue(trashed.getMessage().contains("2 deleted volume(s) in the RBD trash still depend on it")
                    && trashed.getMessage().contains(clones.get(1)) && trashed.getMessage().contains(clones.get(2))
                    && trashed.getMessage().contains("forced=true flattens them"), trashed.getMessage());
            assertTrue(images.exists(template));

            String deferredId = trashId(clones.get(1));
            assertTrue(templates.delete(template, "base", true, ProgressReporter.NONE));

            assertFalse(images.exists(template));
            assertEquals(null, trashId(clones.get(2)), "its deferral was over: purged");
            assertEquals(deferredId, trashId(clones.get(1)), "still deferred: kept in the trash, flattened");
            cluster.cli("rbd", "trash", "restore", "--pool", cluster.ceph.pool(), deferredId);
            assertEquals(content, RbdData.sha256(session.ioCtx(), clones.get(1), null),
                    "the flattened clone kept the template's data");
            JsonNode info = CephFixture.JSON.readTree(cluster.cli("rbd", "info", "--format", "json", "--pool",
                    cluster.ceph.pool(), clones.get(1)));
            assertFalse(info.has("parent"), info.toString());
            assertFalse(templates.delete(template, "base", true, ProgressReporter.NONE), "gone: nothing to do");
        }
    }
}
