package io.rbdstack.agent.ui;

import com.sun.net.httpserver.HttpServer;
import io.rbdstack.agent.template.TemplateImportSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a UI test's templates come from: an HTTP server of the test on loopback serving one image, in
 * 1 MiB pieces with a pause after each (so a page can show the import's progress), and the agent's
 * template directories under the test's own folder. Closing stops the server and forgets the directories.
 */
final class TemplateSource implements AutoCloseable {

    private static final int MIB = 1 << 20;

    private final HttpServer http;

    /** Call before the cloud starts: the agent reads the template directories when it starts. */
    TemplateSource(Path dir, String path, byte[] image, Duration pausePerMib) throws IOException {
        System.setProperty(TemplateImportSettings.ALLOWED_DIRECTORY,
                Files.createDirectories(dir.resolve("templates")).toString());
        System.setProperty(TemplateImportSettings.WORK_DIRECTORY, dir.resolve("work").toString());
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, image.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < image.length; at += MIB) {
                    out.write(image, at, Math.min(MIB, image.length - at));
                    out.flush();
                    Thread.sleep(pausePerMib.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        http.start();
    }

    /** The image's URL, for registerTemplate. */
    String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        http.stop(0);
        System.clearProperty(TemplateImportSettings.ALLOWED_DIRECTORY);
        System.clearProperty(TemplateImportSettings.WORK_DIRECTORY);
    }
}
