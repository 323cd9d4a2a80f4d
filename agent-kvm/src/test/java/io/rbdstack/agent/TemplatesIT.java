package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.ceph.RbdTemplates;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.template.TemplateImportSettings;
import io.rbdstack.server.ApiClient;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.testing.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates end to end: registerTemplate from an HTTP server in the test (or a file on the host), the
 * real agent importing into the real Ceph pool, checked with rados-java and the rbd CLI as client.admin.
 */
class TemplatesIT {

    private static final int MIB = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static RadosSession session;
    static IoCTX io;
    static HttpServer http;
    static Path allowed;
    /** What the test's HTTP server serves, by path. */
    static final Map<String, byte[]> served = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        allowed = Files.createDirectories(dir.resolve("templates"));
        System.setProperty(TemplateImportSettings.ALLOWED_DIRECTORY, allowed.toString());
        System.setProperty(TemplateImportSettings.WORK_DIRECTORY, dir.resolve("work").toString());
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        session = cloud.cephAdmin();
        io = session.ioCtx();
        cloud.createdRbdPool("tmpl-pool", cloud.ceph.limitedUser(), "zone");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.stop(0);
        }
        if (cloud != null) {
            for (JsonNode template : list(admin, "listTemplates", "template", "templatefilter", "all")) {
                admin.call("deleteTemplate", "id", template.get("id").asText());
            }
            cloud.close();
        }
        System.clearProperty(TemplateImportSettings.ALLOWED_DIRECTORY);
        System.clearProperty(TemplateImportSettings.WORK_DIRECTORY);
    }

    @Test
    void aRawTemplateWithItsChecksumIsImportedOnceAsAnImageWithAProtectedBaseSnapshot() throws Exception {
        byte[] data = rawData(12, 1);
        JsonNode registered = register("raw-ok", serve("/raw-ok.raw", data), "RAW", "{SHA-256}" + sha256(data));
        assertFalse(registered.get("isready").asBoolean(), registered.toString());

        JsonNode ready = awaitEnd(registered.get("id").asText());
        assertTrue(ready.get("isready").asBoolean(), ready.toString());
        assertEquals("Download Complete", ready.get("status").asText());
        assertEquals(data.length, ready.get("size").asLong());
        assertEquals("RAW", ready.get("format").asText());
        assertEquals("KVM", ready.get("hypervisor").asText());
        assertEquals(cloud.zoneId, ready.get("zoneid").asText());
        assertEquals("{SHA-256}" + sha256(data), ready.get("checksum").asText());

        String image = "tmpl-" + ready.get("id").asText();
        assertEquals(data.length + ":" + sha256(data), RbdData.sha256(io, image, null));
        assertEquals(List.of("base"), RbdData.snapshots(io, image));
        JsonNode info = JSON.readTree(cloud.cluster.cli("rbd", "info", "--format", "json",
                cloud.ceph.pool() + "/" + image + "@base"));
        assertEquals("true", info.get("protected").asText(), info.toString());
        assertTrue(JSON.readTree(cloud.cluster.cli("rbd", "info", "--format", "json", cloud.ceph.pool() + "/" + image))
                .get("features").toString().contains("layering"));
        assertEquals(1, list(admin, "listTemplates", "template", "templatefilter", "self", "id",
                ready.get("id").asText()).size());

        awaitOk(admin, admin.call("deleteTemplate", "id", ready.get("id").asText()), "deleteTemplate");
        assertFalse(new RbdImages(session).exists(image), "the base image and its snapshot are gone");
        assertTrue(list(admin, "listTemplates", "template", "templatefilter", "all", "id",
                ready.get("id").asText()).isEmpty());
    }

    @Test
    void aWrongChecksumFailsTheTemplateSaysSoAndLeavesNothingInThePool() throws Exception {
        byte[] data = rawData(4, 2);
        JsonNode registered = register("raw-bad", serve("/raw-bad.raw", data), "RAW",
                "{SHA-256}" + sha256("something else".getBytes(StandardCharsets.UTF_8)));
        JsonNode failed = awaitEnd(registered.get("id").asText());
        assertFalse(failed.get("isready").asBoolean());
        assertTrue(failed.get("status").asText().contains("Checksum mismatch"), failed.toString());
        assertFalse(new RbdImages(session).exists("tmpl-" + registered.get("id").asText()));
        assertTrue(list(admin, "listAlerts", "alert").stream().anyMatch(a -> a.get("description").asText()
                .contains(registered.get("id").asText())), "an alert names the template");
        awaitOk(admin, admin.call("deleteTemplate", "id", registered.get("id").asText()), "deleteTemplate");
    }

    @Test
    void aQcow2TemplateBecomesItsRawContentAndTheKeyNeverReachesArgvOrTheLog() throws Exception {
        byte[] raw = rawData(6, 3);
        Path rawFile = dir.resolve("q.raw");
        Files.write(rawFile, raw);
        Path qcow2 = dir.resolve("q.qcow2");
        Process convert = new ProcessBuilder("qemu-img", "convert", "-f", "raw", "-O", "qcow2", rawFile.toString(),
                qcow2.toString()).redirectErrorStream(true).start();
        assertEquals(0, convert.waitFor(), new String(convert.getInputStream().readAllBytes()));
        byte[] qcow2Bytes = Files.readAllBytes(qcow2);
        String key = cloud.ceph.limitedUser().key();

        Set<String> argvWithKey = ConcurrentHashMap.newKeySet();
        Set<String> conversions = ConcurrentHashMap.newKeySet();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                scanCommandLines(key, argvWithKey, conversions);
            }
        });
        JsonNode ready;
        try (LogCapture logs = new LogCapture()) {
            watcher.start();
            JsonNode registered = register("qcow2-ok", serve("/q.qcow2", qcow2Bytes), "QCOW2", sha256(qcow2Bytes));
            ready = awaitEnd(registered.get("id").asText());
            watching.set(false);
            watcher.join();
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains(key)), "the key is in the log");
        }
        assertTrue(argvWithKey.isEmpty(), "the key was on a command line: " + argvWithKey);
        assertFalse(conversions.isEmpty(), "the watcher saw qemu-img convert run (so it looked at the right time)");
        assertTrue(conversions.stream().allMatch(c -> c.contains(":id=" + cloud.ceph.limitedUser().id() + ":conf=")),
                "qemu-img got the user and a conf file: " + conversions);
        assertTrue(ready.get("isready").asBoolean(), ready.toString());
        assertEquals(raw.length, ready.get("size").asLong());
        assertEquals(raw.length + ":" + sha256(raw), RbdData.sha256(io, "tmpl-" + ready.get("id").asText(), null));
        try (Stream<Path> left = Files.list(dir.resolve("work"))) {
            assertEquals(List.of(), left.toList(), "no spool or Ceph client file is left");
        }
        awaitOk(admin, admin.call("deleteTemplate", "id", ready.get("id").asText()), "deleteTemplate");
    }

    @Test
    void aCloneOfTheTemplateIsCopyOnWriteReadableAndCanBeFlattened() throws Exception {
        byte[] data = rawData(16, 4);
        JsonNode ready = awaitEnd(register("clone-src", serve("/clone.raw", data), "RAW", null).get("id").asText());
        String template = "tmpl-" + ready.get("id").asText();
        String clone = "clone-of-" + ready.get("id").asText();
        RbdTemplates templates = new RbdTemplates(session);
        try {
            templates.cloneTemplate(template, "base", clone, 32L * MIB);
            JsonNode info = JSON.readTree(cloud.cluster.cli("rbd", "info", "--format", "json",
                    cloud.ceph.pool() + "/" + clone));
            assertEquals(template, info.get("parent").get("image").asText(), info.toString());
            assertEquals("base", info.get("parent").get("snapshot").asText());
            assertEquals(32L * MIB, info.get("size").asLong());
            JsonNode du = JSON.readTree(cloud.cluster.cli("rbd", "du", "--format", "json",
                    cloud.ceph.pool() + "/" + clone)).get("images").get(0);
            assertTrue(du.get("used_size").asLong() < 4L * MIB, "the clone copied data: " + du);
            byte[] first = new byte[data.length];
            assertEquals(data.length, read(clone, first));
            assertEquals(sha256(data), sha256(first), "the clone reads the template's data");

            new RbdImages(session).flatten(clone, ProgressReporter.NONE);
            assertFalse(JSON.readTree(cloud.cluster.cli("rbd", "info", "--format", "json",
                    cloud.ceph.pool() + "/" + clone)).has("parent"), "the flattened clone has no parent");
        } finally {
            new RbdImages(session).delete(clone);
        }
        awaitOk(admin, admin.call("deleteTemplate", "id", ready.get("id").asText()), "deleteTemplate");
    }

    @Test
    void aFileInTheAllowedDirectoryImportsAndASymlinkOutOfItIsRefused() throws Exception {
        byte[] data = rawData(4, 5);
        Path file = allowed.resolve("local.raw");
        Files.write(file, data);
        JsonNode ready = awaitEnd(register("local", file.toString(), "RAW", sha256(data)).get("id").asText());
        assertTrue(ready.get("isready").asBoolean(), ready.toString());
        awaitOk(admin, admin.call("deleteTemplate", "id", ready.get("id").asText()), "deleteTemplate");

        Path outside = dir.resolve("outside.raw");
        Files.write(outside, data);
        Path link = Files.createSymbolicLink(allowed.resolve("escape.raw"), outside);
        JsonNode refused = awaitEnd(register("escape", "file://" + link, "RAW", null).get("id").asText());
        assertFalse(refused.get("isready").asBoolean());
        assertTrue(refused.get("status").asText().contains("is not inside"), refused.toString());
        awaitOk(admin, admin.call("deleteTemplate", "id", refused.get("id").asText()), "deleteTemplate");

        ApiClient.Reply climbing = admin.call("registerTemplate", "name", "climb", "displaytext", "c", "url",
                allowed + "/../outside.raw", "zoneid", cloud.zoneId, "format", "RAW", "hypervisor", "KVM");
        assertEquals(431, climbing.status(), climbing.body());
    }

    private static JsonNode register(String name, String url, String format, String checksum) throws Exception {
        List<String> params = new java.util.ArrayList<>(List.of("name", name, "displaytext", name + " template",
                "url", url, "zoneid", cloud.zoneId, "format", format, "hypervisor", "KVM", "ostypeid",
                "11111111-2222-3333-4444-555555555555", "ispublic", "true"));
        if (checksum != null) {
            params.addAll(List.of("checksum", checksum));
        }
        JsonNode templates = ok(admin.call("registerTemplate", params.toArray(String[]::new)), "registerTemplate")
                .get("template");
        assertEquals(1, templates.size());
        return templates.get(0);
    }

    /** The template once its import has ended, ready or failed. */
    private static JsonNode awaitEnd(String id) {
        JsonNode[] found = new JsonNode[1];
        Deadline.await("template " + id + " imported or failed", Duration.ofSeconds(120), () -> {
            found[0] = list(admin, "listTemplates", "template", "templatefilter", "all", "id", id).get(0);
            return found[0].get("isready").asBoolean() || found[0].get("status").asText().startsWith("Failed");
        });
        return found[0];
    }

    private static String serve(String path, byte[] data) {
        served.put(path, data);
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    /** {@code mib} MiB of random data with an all-zero MiB in the middle (which the import skips). */
    private static byte[] rawData(int mib, int seed) {
        byte[] data = RbdData.bytes(mib * MIB, seed);
        java.util.Arrays.fill(data, (mib / 2) * MIB, (mib / 2 + 1) * MIB, (byte) 0);
        return data;
    }

    private static int read(String image, byte[] into) throws Exception {
        com.ceph.rbd.Rbd rbd = new com.ceph.rbd.Rbd(io);
        com.ceph.rbd.RbdImage opened = rbd.openReadOnly(image);
        try {
            return opened.read(0, into, into.length);
        } finally {
            rbd.close(opened);
        }
    }

    /** Adds every command line holding {@code key} to {@code withKey}, and qemu-img conversions to {@code conversions}. */
    private static void scanCommandLines(String key, Set<String> withKey, Set<String> conversions) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(key)) {
                        withKey.add(cmdline.replace('\0', ' '));
                    }
                    if (cmdline.startsWith("qemu-img\0convert")) {
                        conversions.add(cmdline.replace('\0', ' '));
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
