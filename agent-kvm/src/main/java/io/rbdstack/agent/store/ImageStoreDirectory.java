package io.rbdstack.agent.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An image store as a directory on this host: {@code file:///path}, a file system every KVM host
 * has mounted at the same path (NFS, CephFS...). Files are addressed by paths relative to its root
 * that may not leave it. A file is written under a temporary name, synced and renamed, so a crash
 * never leaves a half-written backup under its real name.
 */
public final class ImageStoreDirectory {

    private final Path root;

    private ImageStoreDirectory(Path root) {
        this.root = root;
    }

    /** The store at {@code url}; it must be a {@code file:} URL of an existing directory. */
    public static ImageStoreDirectory of(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL: " + url);
        }
        if (!"file".equalsIgnoreCase(uri.getScheme()) || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IOException("unsupported image store URL " + url + ": this agent mounts nothing itself, give"
                    + " file:///<directory> of a file system mounted on every host");
        }
        Path root = Path.of(uri.getPath()).normalize();
        if (!Files.isDirectory(root)) {
            throw new IOException("image store directory " + root + " does not exist on this host (is it mounted?)");
        }
        return new ImageStoreDirectory(root);
    }

    public Path root() {
        return root;
    }

    /** The file at {@code relative}; a path leaving the store is refused. */
    public Path resolve(String relative) throws IOException {
        Path file = root.resolve(relative).normalize();
        if (relative.startsWith("/") || !file.startsWith(root) || file.equals(root)) {
            throw new IOException("path " + relative + " is not inside image store " + root);
        }
        return file;
    }

    /** Total and used bytes of the file system the store is on. */
    public long[] capacity() throws IOException {
        FileStore store = Files.getFileStore(root);
        return new long[] {store.getTotalSpace(), store.getTotalSpace() - store.getUsableSpace()};
    }

    /** Proves the store can be written: creates, syncs and deletes a probe file. */
    public void checkWritable() throws IOException {
        Path probe = Files.createTempFile(root, ".rbdstack-probe-", ".tmp");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            channel.force(true);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    @FunctionalInterface
    public interface Writer<T> {
        T write(OutputStream out) throws Exception;
    }

    /** Writes {@code relative} atomically: to a temporary file first, synced, then renamed into place. */
    public <T> T writeAtomically(String relative, Writer<T> writer) throws Exception {
        Path file = resolve(relative);
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try {
            T result;
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel),
                         1 << 20)) {
                result = writer.write(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return result;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Deletes {@code relative}; false when it was not there. */
    public boolean delete(String relative) throws IOException {
        return Files.deleteIfExists(resolve(relative));
    }
}
