package io.rbdstack.agent.store.nfs;

import io.rbdstack.agent.store.ImageStore;
import io.rbdstack.agent.store.StoreRelativePath;
import io.rbdstack.spi.storage.ImageStorePathException;
import io.rbdstack.spi.storage.NfsStoreUrl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image store on an NFS export ({@code nfs://server/export/path}), reached through libnfs over
 * NFSv3 with no kernel mount. Each operation mounts the export in a context of its own on the calling
 * thread and closes it at its end (libnfs 4.0 contexts are not thread safe); each RPC waits at most
 * {@link #timeout()}, so a dead server fails the operation in bounded time. Files are written under
 * a partial name, synced (COMMIT) and renamed, as {@link ImageStore#writeAtomically} says.
 * libnfs resolves symbolic links itself within the export, so a link can never lead to this host's
 * files; links planted in the store are refused all the same.
 */
public final class NfsStore implements ImageStore {

    private static final Logger LOG = LoggerFactory.getLogger(NfsStore.class);

    /** How long one NFS RPC may take: {@code -Drbdstack.nfs.timeout.ms}, 20 s by default (the server waits 30 s). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(Long.getLong("rbdstack.nfs.timeout.ms", 20_000));

    private final NfsStoreUrl url;
    private final Duration timeout;

    private NfsStore(NfsStoreUrl url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    public static NfsStore of(String url) throws IOException {
        return of(url, DEFAULT_TIMEOUT);
    }

    public static NfsStore of(String url, Duration timeout) throws IOException {
        try {
            return new NfsStore(NfsStoreUrl.parse(url), timeout);
        } catch (ImageStorePathException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public long[] capacity() throws IOException {
        try (NfsContext nfs = mount()) {
            return nfs.capacity();
        }
    }

    @Override
    public void checkWritable() throws IOException {
        try (NfsContext nfs = mount()) {
            String probe = "/.rbdstack-probe-" + UUID.randomUUID() + ".tmp";
            try (NfsFile file = nfs.create(probe); NfsFileStreams.Output out = new NfsFileStreams.Output(file)) {
                out.write(1);
                out.flush();
                file.sync();
            } finally {
                nfs.unlink(probe);
            }
        }
    }

    @Override
    public <T> Written<T> writeAtomically(String relative, Writer<T> writer) throws Exception {
        StoreRelativePath file = parse(relative);
        try (NfsContext nfs = mount()) {
            String name = directories(nfs, file, true) + "/" + file.name();
            if (existingFile(nfs, name) != null) {
                throw ImageStore.taken(relative + " in image store " + url.url());
            }
            String partial = name + ".part";
            try {
                T result;
                long size;
                try (NfsFile out = nfs.create(partial); NfsFileStreams.Output stream = new NfsFileStreams.Output(out)) {
                    result = writer.write(stream);
                    stream.flush();
                    out.sync();
                    size = stream.size();
                }
                nfs.rename(partial, name); // the attempt's own name: nothing is replaced
                return new Written<>(result, size);
            } catch (Exception e) {
                try {
                    nfs.unlink(partial);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    @Override
    public int deleteLeftovers(String directory, String prefix, Set<String> keep) throws IOException {
        ImageStore.checkLeftoverPrefix(prefix);
        StoreRelativePath inside = parse(directory + "/" + prefix);
        int deleted = 0;
        try (NfsContext nfs = mount()) {
            String path = directories(nfs, inside, false);
            for (String entry : nfs.list(path.isEmpty() ? "/" : path)) {
                if (!entry.startsWith(prefix) || keep.contains(entry)) {
                    continue;
                }
                long[] stat = nfs.lstat(path + "/" + entry);
                if (stat != null && stat[0] != NfsContext.S_IFREG) {
                    // Not written by a backup: left for an admin, and the other leftovers still go.
                    LOG.warn("{}/{} in image store {} is not a regular file: left", path, entry, url.url());
                } else if (stat != null && nfs.unlink(path + "/" + entry)) {
                    deleted++;
                }
            }
        } catch (NoSuchFileException e) {
            return deleted; // no directory: no leftovers
        }
        return deleted;
    }

    @Override
    public InputStream openForReading(String relative) throws IOException {
        StoreRelativePath file = parse(relative);
        NfsContext nfs = mount();
        try {
            String name = directories(nfs, file, false) + "/" + file.name();
            if (existingFile(nfs, name) == null) {
                throw new NoSuchFileException(relative, null, "not in image store " + url.url());
            }
            // The stream owns the context and closes it; it must be read on this thread.
            return new NfsFileStreams.Input(nfs.openForReading(name), nfs);
        } catch (IOException | RuntimeException e) {
            nfs.close();
            throw e;
        }
    }

    @Override
    public long size(String relative) throws IOException {
        StoreRelativePath file = parse(relative);
        try (NfsContext nfs = mount()) {
            long[] stat = existingFile(nfs, directories(nfs, file, false) + "/" + file.name());
            if (stat == null) {
                throw new NoSuchFileException(relative, null, "not in image store " + url.url());
            }
            return stat[1];
        }
    }

    @Override
    public boolean delete(String relative) throws IOException {
        StoreRelativePath file = parse(relative);
        try (NfsContext nfs = mount()) {
            String name = directories(nfs, file, false) + "/" + file.name();
            return existingFile(nfs, name) != null && nfs.unlink(name);
        } catch (NoSuchFileException e) {
            return false; // a directory on the way went: so did the backup
        }
    }

    private NfsContext mount() throws IOException {
        return NfsContext.mount(url, timeout);
    }

    private StoreRelativePath parse(String relative) throws IOException {
        return StoreRelativePath.parse(relative, url.url());
    }

    /** The directory {@code file} is in, as an export path, each step checked to be a directory, none a link. */
    private String directories(NfsContext nfs, StoreRelativePath file, boolean create) throws IOException {
        StringBuilder path = new StringBuilder();
        for (String directory : file.directories()) {
            path.append('/').append(directory);
            long[] stat = nfs.lstat(path.toString());
            if (stat == null && create) {
                nfs.mkdir(path.toString());
                stat = nfs.lstat(path.toString());
            }
            if (stat == null) {
                throw new NoSuchFileException(path.toString(), null, "not in image store " + url.url());
            }
            if (stat[0] != NfsContext.S_IFDIR) {
                throw new IOException(path + " in image store " + url.url() + " is "
                        + (stat[0] == NfsContext.S_IFLNK ? "a symbolic link, which image stores refuse" : "not a directory"));
            }
        }
        return path.toString();
    }

    /** The type and size of the file at {@code path}, null when there is none; a link or a non-file is refused. */
    private long[] existingFile(NfsContext nfs, String path) throws IOException {
        long[] stat = nfs.lstat(path);
        if (stat != null && stat[0] != NfsContext.S_IFREG) {
            throw new IOException(path + " in image store " + url.url() + " is "
                    + (stat[0] == NfsContext.S_IFLNK ? "a symbolic link, which image stores refuse" : "not a regular file"));
        }
        return stat;
    }
}
