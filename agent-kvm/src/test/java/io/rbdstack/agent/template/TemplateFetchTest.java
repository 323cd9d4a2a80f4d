package io.rbdstack.agent.template;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.spi.storage.TemplateChecksum;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch's rules against a local HTTP server and files: checksum, size limit, redirects, allowed paths. */
class TemplateFetchTest {

    private static final byte[] DATA = "template bytes ".repeat(1000).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    Path allowed;
    Path spool;
    HttpServer http;
    TemplateFetch fetch;

    @BeforeEach
    void start() throws Exception {
        allowed = Files.createDirectories(dir.resolve("allowed"));
        spool = dir.resolve("spool");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/t.raw", exchange -> {
            exchange.sendResponseHeaders(200, DATA.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(DATA);
            }
        });
        http.createContext("/chunked.raw", exchange -> {
            exchange.sendResponseHeaders(200, 0); // no Content-Length: the limit must hold while streaming
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(DATA);
            }
        });
        http.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", url("/t.raw"));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        http.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        http.start();
        fetch = new TemplateFetch(allowed, spool, new TemplateFetch.Timeouts(Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void aDownloadWithTheRightChecksumLandsInAPrivateSpoolFileFollowingRedirects() throws Exception {
        Path file = fetch.fetch(url("/moved"), sha256(DATA), 1 << 20, ProgressReporter.NONE);
        assertArrayEquals(DATA, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aChecksumMismatchFailsSayingBothDigestsAndLeavesNoSpoolFile() throws Exception {
        TemplateChecksum wrong = sha256("other".getBytes(StandardCharsets.US_ASCII));
        TemplateFetch.FetchException e = assertThrows(TemplateFetch.FetchException.class,
                () -> fetch.fetch(url("/t.raw"), wrong, 1 << 20, ProgressReporter.NONE));
        assertTrue(e.getMessage().startsWith("Checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(wrong.hex()), e.getMessage());
        assertEquals(List.of(), spoolFiles());
    }

    @Test
    void theSizeLimitHoldsWithAndWithoutContentLength() throws Exception {
        for (String path : List.of("/t.raw", "/chunked.raw")) {
            TemplateFetch.FetchException e = assertThrows(TemplateFetch.FetchException.class,
                    () -> fetch.fetch(url(path), null, DATA.length - 1, ProgressReporter.NONE));
            assertTrue(e.getMessage().contains("limit"), path + ": " + e.getMessage());
        }
        assertEquals(List.of(), spoolFiles());
    }

    @Test
    void anHttpErrorIsNamed() {
        TemplateFetch.FetchException e = assertThrows(TemplateFetch.FetchException.class,
                () -> fetch.fetch(url("/missing"), null, 1 << 20, ProgressReporter.NONE));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void aFileIsReadOnlyInsideTheAllowedDirectoryEvenThroughSymlinks() throws Exception {
        Files.write(allowed.resolve("ok.raw"), DATA);
        Path file = fetch.fetch(allowed.resolve("ok.raw").toString(), sha256(DATA), 1 << 20, ProgressReporter.NONE);
        assertArrayEquals(DATA, Files.readAllBytes(file));

        Path outside = Files.write(dir.resolve("secret"), DATA);
        Files.createSymbolicLink(allowed.resolve("link.raw"), outside);
        for (String path : List.of(outside.toString(), allowed.resolve("link.raw").toString(),
                "file://" + allowed + "/../secret")) {
            assertThrows(TemplateFetch.FetchException.class,
                    () -> fetch.fetch(path, null, 1 << 20, ProgressReporter.NONE), path);
        }
    }

    @Test
    void qemuImgGetsTheUserAndTheConfFileButNoKey() {
        QemuImg qemuImg = new QemuImg("qemu-img", Duration.ofSeconds(5));
        List<String> command = qemuImg.convertCommand(Path.of("/spool/t"), "qcow2", "rbd", "tmpl-1", "rbdstack",
                Path.of("/work/ceph-client-1/ceph.conf"));
        assertEquals("rbd:rbd/tmpl-1:id=rbdstack:conf=/work/ceph-client-1/ceph.conf", command.get(command.size() - 1));
        assertFalse(String.join(" ", command).contains("key"), command.toString());
        assertThrows(IllegalArgumentException.class, () -> qemuImg.convertCommand(Path.of("/spool/t"), "qcow2", "rbd",
                "tmpl:1", "rbdstack", Path.of("/c")));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private List<Path> spoolFiles() throws Exception {
        if (!Files.exists(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    private static TemplateChecksum sha256(byte[] data) throws Exception {
        return new TemplateChecksum("SHA-256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(data)));
    }
}
