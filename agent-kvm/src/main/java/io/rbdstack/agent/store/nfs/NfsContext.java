package io.rbdstack.agent.store.nfs;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.rbdstack.spi.storage.NfsStoreUrl;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One libnfs context with the store's export mounted over NFSv3 (no kernel mount). libnfs 4.0 has
 * no thread support, so a context belongs to the one thread that made it, for one operation, and is
 * closed at its end. Every RPC waits at most the timeout and a lost connection is not retried, so a
 * dead server fails the operation in bounded time instead of hanging the agent.
 */
final class NfsContext implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NfsContext.class);

    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int ETIMEDOUT = 110;
    static final int EIO = 5;
    /** What libnfs 4.0 answers when its timeout cancelled a call ("Command was cancelled"). */
    static final int EINTR = 4;
    private static final long S_IFMT = 0170000;
    static final long S_IFDIR = 0040000;
    static final long S_IFREG = 0100000;
    static final long S_IFLNK = 0120000;

    private final LibNfs nfs = LibNfs.INSTANCE;
    private final Pointer context;
    private final String where;
    private final Thread owner = Thread.currentThread();
    /** Why no further RPC is tried: one timed out, or the connection failed in the middle of one. */
    private String hung;
    /**
     * The connection failed in the middle of a call: libnfs's synchronous call returned while its request stays
     * queued with a pointer into that call's finished stack frame, which any further call on the context,
     * destroying it included, would write through (the agent crashed so, SIGSEGV in nfs_destroy_context, when an
     * NFS server was killed mid-backup). Such a context is never used again, and not destroyed while a request is
     * still queued (left, with its memory and socket).
     */
    private boolean broken;

    private NfsContext(Pointer context, String where) {
        this.context = context;
        this.where = where;
    }

    /** A context with {@code url}'s export mounted; each RPC, the mount's too, waits at most {@code timeout}. */
    static NfsContext mount(NfsStoreUrl url, Duration timeout) throws IOException {
        Pointer context = LibNfs.INSTANCE.nfs_init_context();
        if (context == null) {
            throw new IOException("cannot make an NFS context (out of memory?)");
        }
        NfsContext mounted = new NfsContext(context, url.url());
        try {
            mounted.nfs.nfs_set_timeout(context, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            mounted.nfs.nfs_set_autoreconnect(context, 0);
            mounted.check(mounted.nfs.nfs_set_version(context, LibNfs.NFS_V3), "set NFS version 3");
            Pointer parsed = mounted.nfs.nfs_parse_url_dir(context, url.url());
            if (parsed == null) {
                throw new IOException("libnfs cannot parse " + url.url() + ": " + mounted.nfs.nfs_get_error(context));
            }
            String server;
            String export;
            try {
                server = parsed.getPointer(0).getString(0);
                export = parsed.getPointer(Native.POINTER_SIZE).getString(0);
            } finally {
                mounted.nfs.nfs_destroy_url(parsed);
            }
            mounted.check(mounted.nfs.nfs_mount(context, server, export), "mount " + export + " from " + server, "");
            return mounted;
        } catch (IOException | RuntimeException e) {
            mounted.close();
            throw e;
        }
    }

    /**
     * The type bits, size and modification time (epoch seconds) of {@code path} itself (a link is not followed),
     * or null when there is none.
     */
    long[] lstat(String path) throws IOException {
        try (Memory stat = new Memory(8L * LibNfs.STAT_LONGS)) {
            stat.clear();
            int rc = rpc("stat " + path, () -> nfs.nfs_lstat64(context, path, stat));
            if (rc == -ENOENT) {
                return null;
            }
            check(rc, "stat " + path);
            return new long[] {stat.getLong(8L * LibNfs.STAT_MODE) & S_IFMT, stat.getLong(8L * LibNfs.STAT_SIZE),
                    stat.getLong(8L * LibNfs.STAT_MTIME)};
        }
    }

    /** Total and used bytes of the exported file system. */
    long[] capacity() throws IOException {
        try (Memory vfs = new Memory(8L * LibNfs.STATVFS_LONGS)) {
            vfs.clear();
            check(rpc("statvfs", () -> nfs.nfs_statvfs64(context, "/", vfs)), "statvfs");
            long fragment = vfs.getLong(8);
            long total = vfs.getLong(16) * fragment;
            long available = vfs.getLong(32) * fragment;
            return new long[] {total, total - available};
        }
    }

    /** mkdir; one that exists already (made by another backup meanwhile) is fine. */
    void mkdir(String path) throws IOException {
        int rc = rpc("mkdir " + path, () -> nfs.nfs_mkdir(context, path));
        if (rc != -EEXIST) {
            check(rc, "mkdir " + path);
        }
    }

    /** unlink; false when there was nothing to delete. */
    boolean unlink(String path) throws IOException {
        int rc = rpc("delete " + path, () -> nfs.nfs_unlink(context, path));
        if (rc == -ENOENT) {
            return false;
        }
        check(rc, "delete " + path);
        return true;
    }

    void rename(String from, String to) throws IOException {
        check(rpc("rename " + from, () -> nfs.nfs_rename(context, from, to)), "rename " + from + " to " + to);
    }

    /** The names in directory {@code path}, "." and ".." left out. */
    List<String> list(String path) throws IOException {
        PointerByReference dir = new PointerByReference();
        check(rpc("list " + path, () -> nfs.nfs_opendir(context, path, dir)), "list " + path);
        List<String> names = new ArrayList<>();
        try {
            for (Pointer entry = nfs.nfs_readdir(context, dir.getValue()); entry != null;
                 entry = nfs.nfs_readdir(context, dir.getValue())) {
                String name = entry.getPointer(Native.POINTER_SIZE).getString(0);
                if (!name.equals(".") && !name.equals("..")) {
                    names.add(name);
                }
            }
        } finally {
            nfs.nfs_closedir(context, dir.getValue());
        }
        return names;
    }

    /** A new file, or an existing one truncated, mode 0600. */
    NfsFile create(String path) throws IOException {
        PointerByReference fh = new PointerByReference();
        check(rpc("create " + path, () -> nfs.nfs_create(context, path, LibNfs.O_CREAT | LibNfs.O_TRUNC | LibNfs.O_WRONLY,
                0600, fh)),
                "create " + path);
        return new NfsFile(this, fh.getValue(), path);
    }

    NfsFile openForReading(String path) throws IOException {
        PointerByReference fh = new PointerByReference();
        check(rpc("open " + path, () -> nfs.nfs_open(context, path, LibNfs.O_RDONLY, fh)), "open " + path);
        return new NfsFile(this, fh.getValue(), path);
    }

    int pwrite(Pointer fh, long offset, Pointer buffer, int length) throws IOException {
        return check(rpc("write", () -> nfs.nfs_pwrite(context, fh, offset, length, buffer)), "write");
    }

    int pread(Pointer fh, long offset, Pointer buffer, int length) throws IOException {
        return check(rpc("read", () -> nfs.nfs_pread(context, fh, offset, length, buffer)), "read");
    }

    void fsync(Pointer fh, String path) throws IOException {
        check(rpc("sync " + path, () -> nfs.nfs_fsync(context, fh)), "sync " + path);
    }

    void close(Pointer fh, String path) throws IOException {
        check(rpc("close " + path, () -> nfs.nfs_close(context, fh)), "close " + path);
    }

    /** Fails unless called on the thread that made the context: libnfs 4.0 contexts are not thread safe. */
    private void onOwnerThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an NFS context is used by " + Thread.currentThread().getName()
                    + " but belongs to " + owner.getName());
        }
    }

    /**
     * Runs one RPC, unless an earlier one of this context timed out: the server hangs, and each further
     * call (closing the file, deleting the partial one) would wait the whole timeout again, so a job
     * fails one timeout after the server stopped answering rather than several.
     */
    private int rpc(String what, IntSupplier call) throws IOException {
        onOwnerThread();
        if (hung != null) {
            throw new SocketTimeoutException("NFS " + what + " on " + where + " not tried: " + hung);
        }
        return call.getAsInt();
    }

    /** {@code rc}, or an IOException with libnfs's reason when it is a negative errno. */
    private int check(int rc, String what) throws IOException {
        return check(rc, what, " on " + where);
    }

    /** {@code on} says where {@code what} ran, unless {@code what} names it already (the mount: server and export). */
    private int check(int rc, String what, String on) throws IOException {
        onOwnerThread();
        if (rc >= 0) {
            return rc;
        }
        String message = "NFS " + what + on + " failed: " + nfs.nfs_get_error(context) + " (errno " + -rc + ")";
        if (-rc == ENOENT) {
            throw new NoSuchFileException(what, null, message);
        }
        if (-rc == ETIMEDOUT || -rc == EINTR) {
            hung = "an earlier call timed out (" + message + ")";
            throw new SocketTimeoutException(message);
        }
        if (-rc == EIO && connectionFailedMidCall(nfs.nfs_get_error(context))) {
            broken = true;
            hung = "the connection failed during an earlier call (" + message + ")";
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new SocketTimeoutException(message);
        }
        throw new IOException(message);
    }

    /** libnfs's synchronous calls say so when they stopped waiting on a failed connection, their request still queued. */
    static boolean connectionFailedMidCall(String libnfsError) {
        return libnfsError != null && (libnfsError.startsWith("nfs_service failed")
                || libnfsError.startsWith("Poll failed"));
    }

    @Override
    public void close() {
        onOwnerThread();
        if (broken) {
            int queued = nfs.nfs_queue_length(context);
            if (queued > 0) {
                LOG.warn("NFS context of {} left as it is, not destroyed: {}, {} request(s) still queued; its memory"
                        + " and socket are not freed", where, hung, queued);
                return;
            }
        }
        nfs.nfs_destroy_context(context);
    }
}
