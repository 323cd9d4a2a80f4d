package io.rbdstack.agent.store.nfs;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * libnfs 4.0 (Debian 12's libnfs13), the synchronous calls an image store needs. Bound to
 * {@code libnfs.so.13} by name: libnfs 6 swaps the count and buffer of nfs_pread/nfs_pwrite, and a
 * binding to another major version would pass a length as a pointer. A context is not thread safe:
 * one per thread (see {@link NfsContext}). Calls return 0 or a count, or a negative errno, with the
 * context's {@link #nfs_get_error} saying why.
 */
interface LibNfs extends Library {

    LibNfs INSTANCE = Native.load("libnfs.so.13", LibNfs.class);

    /** {@code NFS_V3}, for {@link #nfs_set_version}: libnfs 4.0 cannot write over v4 (COMPOUND encoding). */
    int NFS_V3 = 3;
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_CREAT = 0100;
    int O_TRUNC = 01000;
    /** {@code struct nfs_stat_64}: 17 uint64; mode at 2, size at 7, mtime (seconds) at 11. */
    int STAT_LONGS = 17;
    int STAT_MODE = 2;
    int STAT_SIZE = 7;
    int STAT_MTIME = 11;
    /** {@code struct nfs_statvfs_64}: f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, ... 11 uint64. */
    int STATVFS_LONGS = 11;

    /** {@code struct nfs_context *nfs_init_context(void)}. */
    Pointer nfs_init_context();

    /** {@code int nfs_queue_length(struct nfs_context *nfs)}: requests queued or waiting for their reply. */
    int nfs_queue_length(Pointer nfs);

    /** {@code void nfs_destroy_context(struct nfs_context *nfs)}: closes its socket and frees it. */
    void nfs_destroy_context(Pointer nfs);

    /** {@code const char *nfs_get_error(struct nfs_context *nfs)}: the last error, owned by the context. */
    String nfs_get_error(Pointer nfs);

    /** {@code void nfs_set_timeout(struct nfs_context *nfs, int milliseconds)}: per RPC; -1 waits for ever. */
    void nfs_set_timeout(Pointer nfs, int milliseconds);

    /** {@code void nfs_set_autoreconnect(struct nfs_context *nfs, int num_retries)}: -1 retries for ever. */
    void nfs_set_autoreconnect(Pointer nfs, int retries);

    /** {@code int nfs_set_version(struct nfs_context *nfs, int version)}. */
    int nfs_set_version(Pointer nfs, int version);

    /**
     * {@code struct nfs_url *nfs_parse_url_dir(struct nfs_context *nfs, const char *url)}: server and
     * path (the export) of {@code nfs://server/path?options}, the options (nfsport, mountport) set on
     * the context; null on error. Freed with {@link #nfs_destroy_url}.
     */
    Pointer nfs_parse_url_dir(Pointer nfs, String url);

    /** {@code void nfs_destroy_url(struct nfs_url *url)}. */
    void nfs_destroy_url(Pointer url);

    /** {@code int nfs_mount(struct nfs_context *nfs, const char *server, const char *exportname)}. */
    int nfs_mount(Pointer nfs, String server, String export);

    /** {@code int nfs_open(struct nfs_context *nfs, const char *path, int flags, struct nfsfh **nfsfh)}. */
    int nfs_open(Pointer nfs, String path, int flags, PointerByReference fh);

    /** {@code int nfs_create(struct nfs_context *nfs, const char *path, int flags, int mode, struct nfsfh **nfsfh)}. */
    int nfs_create(Pointer nfs, String path, int flags, int mode, PointerByReference fh);

    /** {@code int nfs_pread(struct nfs_context *, struct nfsfh *, uint64_t offset, uint64_t count, void *buf)}. */
    int nfs_pread(Pointer nfs, Pointer fh, long offset, long count, Pointer buffer);

    /** {@code int nfs_pwrite(struct nfs_context *, struct nfsfh *, uint64_t offset, uint64_t count, const void *buf)}. */
    int nfs_pwrite(Pointer nfs, Pointer fh, long offset, long count, Pointer buffer);

    /** {@code int nfs_fsync(struct nfs_context *nfs, struct nfsfh *nfsfh)}: COMMIT. */
    int nfs_fsync(Pointer nfs, Pointer fh);

    /** {@code int nfs_close(struct nfs_context *nfs, struct nfsfh *nfsfh)}. */
    int nfs_close(Pointer nfs, Pointer fh);

    /** {@code int nfs_lstat64(struct nfs_context *nfs, const char *path, struct nfs_stat_64 *st)}: a link itself. */
    int nfs_lstat64(Pointer nfs, String path, Pointer stat);

    /** {@code int nfs_statvfs64(struct nfs_context *nfs, const char *path, struct nfs_statvfs_64 *svfs)}. */
    int nfs_statvfs64(Pointer nfs, String path, Pointer statvfs);

    /** {@code int nfs_mkdir(struct nfs_context *nfs, const char *path)}. */
    int nfs_mkdir(Pointer nfs, String path);

    /** {@code int nfs_unlink(struct nfs_context *nfs, const char *path)}. */
    int nfs_unlink(Pointer nfs, String path);

    /** {@code int nfs_rename(struct nfs_context *nfs, const char *oldpath, const char *newpath)}. */
    int nfs_rename(Pointer nfs, String from, String to);

    /** {@code int nfs_opendir(struct nfs_context *nfs, const char *path, struct nfsdir **nfsdir)}: reads it all (READDIRPLUS). */
    int nfs_opendir(Pointer nfs, String path, PointerByReference dir);

    /**
     * {@code struct nfsdirent *nfs_readdir(struct nfs_context *nfs, struct nfsdir *nfsdir)}: the next entry of
     * what opendir read, null at the end; the entry's {@code next} pointer comes first, its {@code char *name} second.
     */
    Pointer nfs_readdir(Pointer nfs, Pointer dir);

    /** {@code void nfs_closedir(struct nfs_context *nfs, struct nfsdir *nfsdir)}. */
    void nfs_closedir(Pointer nfs, Pointer dir);
}
