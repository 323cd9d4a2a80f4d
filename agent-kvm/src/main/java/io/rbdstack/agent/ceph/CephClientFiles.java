package io.rbdstack.agent.ceph;

import io.rbdstack.storage.rbd.agent.RbdPool;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A ceph.conf and keyring for one pool's cephx user, for programs that read Ceph's files (qemu-img's
 * {@code rbd:pool/image:id=USER:conf=FILE}): so the key reaches them through a file, never argv. Both
 * live in a private directory (mode 700, files 600) that {@link #close()} deletes.
 */
public final class CephClientFiles implements AutoCloseable {

    private final Path directory;
    private final Path conf;

    private CephClientFiles(Path directory, Path conf) {
        this.directory = directory;
        this.conf = conf;
    }

    /** Writes the files for {@code pool} in a new directory below {@code parent}. */
    public static CephClientFiles write(RbdPool pool, Path parent) throws CephException {
        CephKey key = CephKey.parse(pool.cephKey());
        String monHost = MonitorAddresses.monHost(pool.monitors(), InetAddress::getAllByName);
        Path directory = null;
        try {
            directory = Files.createTempDirectory(parent, "ceph-client-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path keyring = directory.resolve("keyring");
            privateFile(keyring, "[client." + pool.cephUser() + "]\n\tkey = " + key.base64() + "\n");
            Path conf = directory.resolve("ceph.conf");
            privateFile(conf, "[global]\n\tmon_host = " + monHost + "\n\tkeyring = " + keyring + "\n"
                    + "\tclient_mount_timeout = 30\n");
            return new CephClientFiles(directory, conf);
        } catch (IOException e) {
            if (directory != null) {
                delete(directory);
            }
            throw new CephException("cannot write the Ceph client files: " + e.getMessage(), -CephErrors.EIO, e);
        }
    }

    /** The ceph.conf (which names the keyring). */
    public Path conf() {
        return conf;
    }

    @Override
    public void close() {
        delete(directory);
    }

    private static void privateFile(Path file, String content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Nothing else to do: the directory is private to root.
        }
    }
}
