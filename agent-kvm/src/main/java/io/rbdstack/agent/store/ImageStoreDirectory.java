package io.rbdstack.agent.store;

import com.sun.nio.file.ExtendedOpenOption;
import io.rbdstack.spi.storage.ImageStorePath;
import io.rbdstack.spi.storage.ImageStorePathException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image store as a directory on this host: {@code file:///path}, a file system every KVM host
 * has mounted at the same path (NFS, CephFS...). Its root is the directory's real path, which must
 * pass the same rule as the URL ({@link ImageStorePath}: no system directory). Files are addressed
 * by paths relative to the root and reached through {@link NoFollowDirectories}, and opened, created,
 * renamed and deleted relative to their directory without following links, so a symbolic link
 * planted in the store is refused, never followed out of it. A file is written under a partial name
 * beside its real one, synced and renamed (see {@link ImageStore#writeAtomically}), so a crash never
 * leaves a half-written backup under its real name.
 */
public final class ImageStoreDirectory implements ImageStore {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStoreDirectory.class);

    /** O_CREAT|O_EXCL|O_NOFOLLOW: a new file, never one a link stands for. */
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    /** The same, written around the page cache (O_DIRECT). */
    private static final Set<OpenOption> CREATE_NEW_DIRECT = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT);
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    /** Store roots whose file system refused O_DIRECT: their files go through the page cache from then on. */
    private static final Set<Path> NO_DIRECT_WRITES = ConcurrentHashMap.newKeySet();
    /** What a file is called until it is whole. */
    static final String PARTIAL = ".part";

    private final Path root;
    private final NoFollowDirectories directories;

    private ImageStoreDirectory(Path root) {
        this.root = root;
        this.directories = new NoFollowDirectories(root);
    }

    /**
     * The store at {@code url}: a {@code file:} URL that passes {@link ImageStorePath#fromUrl}, of an
     * existing directory whose real path passes the rule too.
     */
    public static ImageStoreDirectory of(String url) throws IOException {
        Path given;
        try {
            given = Path.of(ImageStorePath.fromUrl(url).directory());
        } catch (ImageStorePathException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!Files.isDirectory(given)) {
            throw new IOException("image store directory " + given + " does not exist on this host (is it mounted?)");
        }
        Path real = given.toRealPath();
        try {
            ImageStorePath.of(real.toString());
        } catch (ImageStorePathException e) {
            throw new IOException("image store directory " + given + (real.equals(given) ? "" : " resolves to " + real)
                    + " on this host: " + e.getMessage(), e);
        }
        return new ImageStoreDirectory(real);
    }

    /** Total and used bytes of the file system the store is on. */
    @Override
    public long[] capacity() throws IOException {
        FileStore store = Files.getFileStore(root);
        return new long[] {store.getTotalSpace(), store.getTotalSpace() - store.getUsableSpace()};
    }

    /** Proves the store can be written: creates, syncs and deletes a probe file in its root. */
    @Override
    public void checkWritable() throws IOException {
        try (SecureDirectoryStream<Path> dir = directories.openRoot()) {
            Path probe = Path.of(".rbdstack-probe-" + UUID.randomUUID() + ".tmp");
            try (SeekableByteChannel channel = dir.newByteChannel(probe, CREATE_NEW)) {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                force(channel);
            } catch (IOException e) {
                deleteAfterFailure(dir, probe, e);
                throw e;
            }
            dir.deleteFile(probe);
        }
    }

    /**
     * Writes {@code relative} atomically: to {@code <name>.part} in the same directory (created anew, never
     * opened through a link), synced, then renamed to the name within that directory (renameat; the name is
     * the attempt's own, so nothing is replaced; a file already there is refused), and the directory synced. Missing directories are created; one that is a link is
     * refused, and so is a link standing at the file's name.
     */
    @Override
    public <T> Written<T> writeAtomically(String relative, Writer<T> writer) throws Exception {
        StoreRelativePath file = StoreRelativePath.parse(relative, root);
        try (SecureDirectoryStream<Path> dir = directories.openDirectories(file, true)) {
            if (directories.existingFile(dir, file) != null) { // a link at the name is refused too
                throw ImageStore.taken(root.resolve(relative).toString());
            }
            Path partial = Path.of(file.name() + PARTIAL);
            PartialFile created = createPartial(dir, partial, file); // another's partial is never touched
            SeekableByteChannel channel = created.channel();
            try {
                T result;
                long size;
                try (channel; FileBody body = created.body(); OutputStream out = new ChannelOutput(body)) {
                    result = writer.write(out);
                    out.flush();
                    body.finish();
                    force(channel);
                    size = channel.size();
                }
                dir.move(partial, dir, Path.of(file.name()));
                syncDirectory(dir); // the rename too survives a crash: the server records the name next
                return new Written<>(result, size);
            } catch (Exception e) {
                deleteAfterFailure(dir, partial, e);
                throw e;
            }
        }
    }

    /** False once this store's file system refused a direct write (tests). */
    boolean writesDirect() {
        return !NO_DIRECT_WRITES.contains(root);
    }

    /** A partial file just created, and how the backup's bytes go to it. */
    private record PartialFile(SeekableByteChannel channel, FileBody body) {
    }

    /**
     * Creates {@code partial} in {@code file}'s directory, to be written around the page cache ({@link
     * DirectFileOutput}) where the file system takes {@code O_DIRECT}, else through the page cache and synced behind
     * the writes ({@link SyncBehind}). Anything but the file's creation failing deletes it again.
     */
    private PartialFile createPartial(SecureDirectoryStream<Path> dir, Path partial, StoreRelativePath file)
            throws IOException {
        int alignment = NO_DIRECT_WRITES.contains(root) ? 0 : directAlignment(file);
        SeekableByteChannel channel;
        if (alignment > 0) {
            try {
                channel = dir.newByteChannel(partial, CREATE_NEW_DIRECT);
            } catch (FileAlreadyExistsException | NoSuchFileException | AccessDeniedException e) {
                throw e; // nothing to do with O_DIRECT
            } catch (FileSystemException | UnsupportedOperationException e) {
                // A file system without O_DIRECT: Linux creates the file, then refuses the open (EINVAL, a plain
                // FileSystemException; ramfs, ImageStoreDirectoryWithoutDirectIoIT), or the JDK's own fcntl is
                // refused after the open (UnsupportedOperationException; it leaves that descriptor open). Either
                // way the file at this attempt's own name is ours: deleted, and made again without O_DIRECT. Other
                // failures (EMFILE, ENOSPC, EIO, ESTALE, EROFS...) come before the file exists, and are thrown.
                if (!deleteCreated(dir, partial, e)) {
                    throw e;
                }
                try {
                    channel = dir.newByteChannel(partial, CREATE_NEW);
                } catch (IOException plain) {
                    plain.addSuppressed(e);
                    throw plain;
                }
                NO_DIRECT_WRITES.add(root); // its files go through the page cache from now on
                LOG.info("Image store {} takes no direct writes ({}): its files go through the page cache", root,
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                alignment = 0;
            }
        } else {
            channel = dir.newByteChannel(partial, CREATE_NEW);
        }
        try {
            FileChannel fileChannel = fileChannel(channel);
            return new PartialFile(channel, alignment > 0 ? new DirectFileOutput(fileChannel, alignment)
                    : new SyncBehind(fileChannel));
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            deleteAfterFailure(dir, partial, e);
            throw e;
        }
    }

    /**
     * The block size direct writes into {@code file}'s directory align to (at least 4 KiB), or 0 when its file system
     * cannot say or its blocks are larger than {@link DirectFileOutput#STAGING}.
     */
    private int directAlignment(StoreRelativePath file) {
        Path directory = root.resolve(String.join("/", file.directories()));
        try {
            long block = Math.max(4096, Files.getFileStore(directory).getBlockSize());
            return Long.bitCount(block) == 1 && block <= DirectFileOutput.STAGING ? (int) block : 0;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("The block size of {} is unknown ({}): {} goes through the page cache", directory, e.getMessage(),
                    file.name());
            return 0;
        }
    }

    /** Deletes the regular files of {@code directory} named {@code prefix...} but those in {@code keep}. */
    @Override
    public int deleteLeftovers(String directory, String prefix, Set<String> keep) throws IOException {
        ImageStore.checkLeftoverPrefix(prefix);
        StoreRelativePath inside = StoreRelativePath.parse(directory + "/" + prefix, root);
        int deleted = 0;
        try (SecureDirectoryStream<Path> dir = directories.openDirectories(inside, false)) {
            List<Path> leftovers = new ArrayList<>();
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (name.startsWith(prefix) && !keep.contains(name)) {
                    leftovers.add(entry.getFileName());
                }
            }
            for (Path leftover : leftovers) {
                BasicFileAttributes attributes = NoFollowDirectories.attributes(dir, leftover);
                if (attributes != null && !attributes.isRegularFile()) {
                    // Not written by a backup: left for an admin, and the other leftovers still go.
                    LOG.warn("{} in image store {} is not a regular file: left", root.resolve(directory)
                            .resolve(leftover), root);
                } else if (attributes != null && deleted(dir, leftover)) { // unlinked, never followed
                    deleted++;
                }
            }
        } catch (NoSuchFileException e) {
            return deleted; // no directory: no leftovers
        }
        return deleted;
    }

    /**
     * Whether {@code name} was deleted here; false when it was gone already, or could not be deleted as a file
     * (a directory made at its name since it was checked): that one is left (WARN) and the others still go.
     */
    private boolean deleted(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            dir.deleteFile(name);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (FileSystemException e) {
            LOG.warn("Leftover {} in image store {} could not be deleted as a file: left", name, root, e);
            return false;
        }
    }

    /** Opens {@code relative} for reading; a link or anything but a regular file is refused. */
    @Override
    public InputStream openForReading(String relative) throws IOException {
        StoreRelativePath file = StoreRelativePath.parse(relative, root);
        try (SecureDirectoryStream<Path> dir = directories.openDirectories(file, false)) {
            Path name = Path.of(file.name());
            if (directories.existingFile(dir, file) == null) {
                throw new NoSuchFileException(root.resolve(relative).toString(), null, "not in image store " + root);
            }
            // The file's descriptor outlives the directory's.
            return Channels.newInputStream(dir.newByteChannel(name, READ));
        }
    }

    /** The size in bytes of {@code relative}, read as {@link #openForReading} would (no link followed). */
    @Override
    public long size(String relative) throws IOException {
        StoreRelativePath file = StoreRelativePath.parse(relative, root);
        try (SecureDirectoryStream<Path> dir = directories.openDirectories(file, false)) {
            if (directories.existingFile(dir, file) == null) {
                throw new NoSuchFileException(root.resolve(relative).toString(), null, "not in image store " + root);
            }
            try (SeekableByteChannel channel = dir.newByteChannel(Path.of(file.name()), READ)) {
                return channel.size();
            }
        }
    }

    /** Deletes {@code relative}; false when it was not there. A link at its name is refused, not removed. */
    @Override
    public boolean delete(String relative) throws IOException {
        StoreRelativePath file = StoreRelativePath.parse(relative, root);
        try (SecureDirectoryStream<Path> dir = directories.openDirectories(file, false)) {
            if (directories.existingFile(dir, file) == null) {
                return false;
            }
            dir.deleteFile(Path.of(file.name()));
            return true;
        } catch (NoSuchFileException e) {
            return false; // a directory on the way, or the file, went meanwhile: so did the backup
        }
    }

    /** Deletes {@code name}: true when it was there. */
    private static boolean deleteIfPresent(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            dir.deleteFile(name);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Deletes {@code name} if an open that failed with {@code failure} had created it: false when there was no such
     * file, or deleting it failed (added to {@code failure}).
     */
    private static boolean deleteCreated(SecureDirectoryStream<Path> dir, Path name, Exception failure) {
        try {
            return deleteIfPresent(dir, name);
        } catch (IOException deleting) {
            failure.addSuppressed(deleting);
            return false;
        }
    }

    /** Removes what a failed write left; a failure to is added to the write's, never hides it. */
    private static void deleteAfterFailure(SecureDirectoryStream<Path> dir, Path name, Throwable failure) {
        try {
            deleteIfPresent(dir, name);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /** Syncs the directory itself (its entries), opened through its own descriptor as ".". */
    private static void syncDirectory(SecureDirectoryStream<Path> dir) throws IOException {
        try (SeekableByteChannel self = dir.newByteChannel(Path.of("."), READ)) {
            force(self);
        }
    }

    private static void force(SeekableByteChannel channel) throws IOException {
        fileChannel(channel).force(true);
    }

    private static FileChannel fileChannel(SeekableByteChannel channel) throws IOException {
        if (!(channel instanceof FileChannel file)) {
            throw new IOException("cannot sync " + channel.getClass().getName() + " to disk");
        }
        return file;
    }
}
