package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RBD trash on the real cluster, as the pool-limited user: listing it and purging what has expired. */
class RbdTrashIT {

    private static final long MIB = 1L << 20;

    private final CephFixture cluster = new CephFixture();
    private final RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
    private final RbdPool pool = cluster.limitedPool();
    private final List<String> names = new ArrayList<>();

    private String trashed(RbdImages images, long deferSeconds) throws CephException {
        String name = "trash-it-" + UUID.randomUUID();
        names.add(name);
        images.create(name, 8 * MIB);
        assertTrue(images.moveToTrash(name, deferSeconds));
        return name;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (JsonNode entry : cliTrash()) {
            if (names.contains(entry.get("name").asText())) {
                cluster.cli("rbd", "trash", "rm", "--pool", cluster.ceph.pool(), "--force", entry.get("id").asText());
            }
        }
        cluster.close();
    }

    private JsonNode cliTrash() throws Exception {
        return CephFixture.JSON.readTree(cluster.cli("rbd", "trash", "ls", "--long", "--format", "json", "--pool",
                cluster.ceph.pool()));
    }

    private Optional<JsonNode> cliEntry(String name) throws Exception {
        for (JsonNode entry : cliTrash()) {
            if (name.equals(entry.get("name").asText())) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    @Test
    void listShowsWhatTheRbdCliShowsWithTheDefermentEnd() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages images = new RbdImages(session);
            Instant before = Instant.now();
            String first = trashed(images, 3600);
            String second = trashed(images, 0);
            List<RbdTrash.Entry> listed = new RbdTrash(session).list();
            RbdTrash.Entry deferred = listed.stream().filter(e -> e.name().equals(first)).findFirst().orElseThrow();
            assertEquals(cliEntry(first).orElseThrow().get("id").asText(), deferred.id());
            long off = Duration.between(before.plusSeconds(3600), deferred.deferredUntil()).abs().toSeconds();
            assertTrue(off <= 5, "deferred for an hour from now: " + deferred.deferredUntil());
            assertEquals(0, deferred.source(), "moved there by a user");
            assertTrue(listed.stream().anyMatch(e -> e.name().equals(second)), listed.toString());
        }
    }

    @Test
    void purgeRemovesAnExpiredImageAndIsIdempotent() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            String name = trashed(new RbdImages(session), 0);
            assertTrue(cliEntry(name).isPresent());
            RbdTrash trash = new RbdTrash(session);
            assertEquals(new RbdTrash.Purge(true, null), trash.purge(name));
            assertFalse(cliEntry(name).isPresent(), "gone from the trash by the rbd CLI's account");
            assertEquals(new RbdTrash.Purge(true, null), trash.purge(name), "already gone counts as purged");
        }
    }

    @Test
    void purgeLeavesAnImageWhoseDefermentIsNotOverAndSaysUntilWhen() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            String name = trashed(new RbdImages(session), 3600);
            RbdTrash.Purge purge = new RbdTrash(session).purge(name);
            assertFalse(purge.purged());
            assertTrue(purge.deferredUntil().isAfter(Instant.now().plusSeconds(3500)), purge.toString());
            assertTrue(cliEntry(name).isPresent(), "Ceph still keeps it");
        }
    }

    @Test
    void purgeTouchesOnlyTheNamedImage() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages images = new RbdImages(session);
            String purged = trashed(images, 0);
            String other = trashed(images, 0);
            assertTrue(new RbdTrash(session).purge(purged).purged());
            assertTrue(cliEntry(other).isPresent(), "another expired image stays");
            assertNull(cliEntry(purged).orElse(null));
        }
    }
}
