package io.rbdstack.agent.storage;

import static io.rbdstack.spi.agent.handler.AgentCommandHandler.of;
import static io.rbdstack.spi.agent.handler.AgentCommandHandler.withProgress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.template.QemuImg;
import io.rbdstack.agent.template.TemplateFetch;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.storage.rbd.agent.CloneRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.FlattenRbdImageCommand;
import io.rbdstack.storage.rbd.agent.ImportRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdTemplateAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template commands through their handlers on the real Ceph, as the limited cephx user: import a
 * file, clone a volume from the base snapshot (copy-on-write), flatten it, and the template image's
 * delete refused while a clone depends on it.
 */
class RbdTemplateCommandsIT {

    private static final int MIB = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final CephFixture cluster = new CephFixture();
    private final RadosConnector rados = new RadosConnector(RadosTimeouts.standard());
    private final String template = "tmpl-" + UUID.randomUUID();
    private final String volume = "vol-" + UUID.randomUUID();

    @AfterEach
    void cleanUp() throws Exception {
        try (RadosSession session = rados.connect(cluster.adminPool())) {
            new RbdImages(session).delete(volume);
            new RbdImages(session).delete(template);
        }
        cluster.close();
    }

    @Test
    void aVolumeClonedFromATemplateSharesItsDataUntilFlattened() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("templates"));
        Path work = dir.resolve("work");
        RbdTemplateCommands templates = new RbdTemplateCommands(rados, new TemplateFetch(allowed, work,
                TemplateFetch.Timeouts.DEFAULT), new QemuImg("qemu-img", Duration.ofMinutes(5)), work);
        CommandHandler handler = CommandHandlerRegistry.of(List.of(
                withProgress(ImportRbdTemplateCommand.class, templates::importTemplate),
                of(CloneRbdTemplateCommand.class, templates::cloneTemplate),
                withProgress(FlattenRbdImageCommand.class, templates::flatten),
                of(DeleteRbdImageCommand.class, new RbdImageCommands(rados)::delete)));
        RbdPool pool = cluster.limitedPool();
        byte[] data = RbdData.bytes(8 * MIB, 7);
        Path file = Files.write(allowed.resolve("t.raw"), data);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

        RbdTemplateAnswer imported = (RbdTemplateAnswer) handler.handle(new ImportRbdTemplateCommand(pool, template,
                "base", file.toString(), "RAW", "SHA-256", sha256, 1L << 30));
        assertTrue(imported.success(), imported.toString());
        assertEquals(data.length, imported.sizeBytes());

        RbdImageAnswer clone = (RbdImageAnswer) handler.handle(new CloneRbdTemplateCommand(pool, template, "base",
                volume, 20L * MIB));
        assertTrue(clone.success(), clone.toString());
        assertEquals(20L * MIB, clone.sizeBytes(), "grown to the size asked for");
        assertEquals(template, info(volume).get("parent").get("image").asText());
        JsonNode du = JSON.readTree(cluster.cli("rbd", "du", "--format", "json", cluster.adminPool().cephPool() + "/"
                + volume)).get("images").get(0);
        assertTrue(du.get("used_size").asLong() < 4L * MIB, "no data was copied: " + du);

        Answer refused = handler.handle(new DeleteRbdImageCommand(pool, template, 0));
        assertFalse(refused.success(), "a template with a clone cannot go");
        assertTrue(refused.details().contains("has clones"), refused.details());

        RbdImageAnswer flattened = (RbdImageAnswer) handler.handle(new FlattenRbdImageCommand(pool, volume));
        assertTrue(flattened.success(), flattened.toString());
        assertFalse(info(volume).has("parent"), "the flattened volume stands alone");
        try (RadosSession session = rados.connect(cluster.adminPool())) {
            byte[] first = new byte[data.length];
            com.ceph.rbd.Rbd rbd = new com.ceph.rbd.Rbd(session.ioCtx());
            com.ceph.rbd.RbdImage image = rbd.openReadOnly(volume);
            try {
                assertEquals(data.length, image.read(0, first, first.length));
            } finally {
                rbd.close(image);
            }
            assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first)));
        }
        assertTrue(handler.handle(new DeleteRbdImageCommand(pool, template, 0)).success(), "now the template goes");
    }

    private JsonNode info(String image) throws Exception {
        return JSON.readTree(cluster.cli("rbd", "info", "--format", "json", cluster.adminPool().cephPool() + "/"
                + image));
    }
}
