package io.rbdstack.agent.template;

import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.spi.storage.TemplateChecksum;
import io.rbdstack.spi.storage.TemplateUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches a template into a private spool file on this host, from an http(s) URL (redirects followed,
 * connect and idle timeouts, a size limit) or from a file inside the directory this agent allows, and
 * checks its checksum while the bytes stream past. Only a file that passed comes back, so nothing
 * reaches the storage before the check.
 */
public final class TemplateFetch {

    /** How long a download may take to connect, to get its headers, and to stay silent mid-body. */
    public record Timeouts(Duration connect, Duration headers, Duration idle) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(120));
    }

    /** Why a fetch failed, in words for the template's status. */
    public static final class FetchException extends Exception {
        public FetchException(String message) {
            super(message);
        }

        public FetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path allowedDirectory;
    private final Path spoolDirectory;
    private final Timeouts timeouts;

    /**
     * @param allowedDirectory files are read only from inside it (after symlinks are resolved)
     * @param spoolDirectory where downloads are kept until they are imported
     */
    public TemplateFetch(Path allowedDirectory, Path spoolDirectory, Timeouts timeouts) {
        this.allowedDirectory = Objects.requireNonNull(allowedDirectory, "allowedDirectory");
        this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /**
     * The template's bytes in a new spool file (mode 600) the caller deletes, checked against {@code checksum}
     * (null: no check) and at most {@code maxBytes} long.
     */
    public Path fetch(String url, TemplateChecksum checksum, long maxBytes, ProgressReporter progress)
            throws FetchException {
        TemplateUrl parsed;
        try {
            parsed = TemplateUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new FetchException("Invalid template URL: " + e.getMessage());
        }
        Path spool = newSpoolFile();
        try {
            if (parsed.httpUri().isPresent()) {
                download(parsed.httpUri().get(), spool, checksum, maxBytes, progress);
            } else {
                copyAllowedFile(parsed.filePath().orElseThrow(), spool, checksum, maxBytes, progress);
            }
            return spool;
        } catch (FetchException | RuntimeException e) {
            deleteQuietly(spool);
            throw e;
        }
    }

    private void download(URI uri, Path spool, TemplateChecksum checksum, long maxBytes, ProgressReporter progress)
            throws FetchException {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(timeouts.connect()).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeouts.headers()).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FetchException("Cannot download " + uri + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("The download of " + uri + " was interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new FetchException("Cannot download " + uri + ": the server answered HTTP " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxBytes) {
                throw new FetchException("The template at " + uri + " has " + length + " bytes, more than the limit of "
                        + maxBytes);
            }
            copyChecked(body, spool, checksum, maxBytes, length, progress, uri.toString());
        } catch (IOException e) {
            throw new FetchException("Cannot download " + uri + ": " + describe(e), e);
        }
    }

    private void copyAllowedFile(String path, Path spool, TemplateChecksum checksum, long maxBytes,
                                 ProgressReporter progress) throws FetchException {
        Path real;
        Path allowed;
        try {
            allowed = allowedDirectory.toRealPath();
            real = Path.of(path).toRealPath();
        } catch (IOException e) {
            throw new FetchException("Cannot read template file " + path + " on this host: " + describe(e));
        }
        if (!TemplateUrl.within(real, allowed)) {
            throw new FetchException("Template file " + path + " is not inside " + allowedDirectory
                    + ", the directory this host imports templates from");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new FetchException("Template path " + path + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            copyChecked(in, spool, checksum, maxBytes, Files.size(real), progress, path);
        } catch (IOException e) {
            throw new FetchException("Cannot read template file " + path + ": " + describe(e), e);
        }
    }

    /** Copies with the size limit and the checksum; an idle watchdog closes a stream that stops sending. */
    private void copyChecked(InputStream in, Path spool, TemplateChecksum checksum, long maxBytes, long expected,
                             ProgressReporter progress, String source) throws IOException, FetchException {
        MessageDigest digest = checksum == null ? null : digest(checksum.algorithm());
        AtomicLong lastRead = new AtomicLong(System.nanoTime());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "template-fetch-watchdog");
            t.setDaemon(true);
            return t;
        });
        long idleNanos = timeouts.idle().toNanos();
        watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastRead.get() > idleNanos) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is all the watchdog can do
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
        long done = 0;
        try (OutputStream out = Files.newOutputStream(spool)) {
            byte[] buffer = new byte[1 << 20];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                lastRead.set(System.nanoTime());
                done += read;
                if (done > maxBytes) {
                    throw new FetchException("The template at " + source + " is larger than the limit of " + maxBytes
                            + " bytes");
                }
                if (digest != null) {
                    digest.update(buffer, 0, read);
                }
                out.write(buffer, 0, read);
                progress.report(done, Math.max(expected, done));
            }
        } catch (IOException e) {
            if (System.nanoTime() - lastRead.get() > idleNanos) {
                throw new FetchException("The download of " + source + " stalled: nothing came for "
                        + timeouts.idle().toSeconds() + " s", e);
            }
            throw e;
        } finally {
            watchdog.shutdownNow();
        }
        if (expected >= 0 && done != expected) {
            throw new FetchException("The template at " + source + " ended after " + done + " of " + expected + " bytes");
        }
        if (digest != null) {
            byte[] actual = digest.digest();
            if (!checksum.matches(actual)) {
                throw new FetchException("Checksum mismatch: the template's " + checksum.algorithm() + " is "
                        + HexFormat.of().formatHex(actual) + ", expected " + checksum.hex());
            }
        }
    }

    private Path newSpoolFile() throws FetchException {
        try {
            Files.createDirectories(spoolDirectory);
            return Files.createTempFile(spoolDirectory, "template-", ".spool",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new FetchException("Cannot create a spool file in " + spoolDirectory + ": " + describe(e), e);
        }
    }

    private static MessageDigest digest(String algorithm) throws FetchException {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new FetchException("This host has no " + algorithm + " digest", e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a spool file left behind is in a private directory
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase()
                + (message == null ? "" : ": " + message);
    }
}
