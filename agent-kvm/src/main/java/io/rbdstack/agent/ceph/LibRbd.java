package io.rbdstack.agent.ceph;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The librbd calls rados-java 0.6.0 lacks, bound with JNA to the same librbd it loads. Both
 * take the native handles rados-java already holds ({@code IoCTX.getPointer()},
 * {@code RbdImage.getPointer()}), so no key or command line is involved.
 */
interface LibRbd extends Library {

    LibRbd INSTANCE = Native.load("rbd", LibRbd.class);

    /** {@code int rbd_get_features(rbd_image_t image, uint64_t *features)}. */
    int rbd_get_features(Pointer image, LongByReference features);

    /** {@code int rbd_trash_move(rados_ioctx_t io, const char *name, uint64_t delay)}; delay in seconds. */
    int rbd_trash_move(Pointer ioCtx, String name, long delaySeconds);

    /**
     * {@code int rbd_trash_list(rados_ioctx_t io, rbd_trash_image_info_t *entries, size_t *num_entries)}:
     * -ERANGE with the needed count when {@code entries} is too small, else the count.
     */
    int rbd_trash_list(Pointer ioCtx, TrashImageInfo entries, LongByReference numEntries);

    /** {@code void rbd_trash_list_cleanup(rbd_trash_image_info_t *entries, size_t num_entries)}: frees the strings. */
    void rbd_trash_list_cleanup(TrashImageInfo entries, long numEntries);

    /** {@code int rbd_trash_remove(rados_ioctx_t io, const char *id, bool force)}; -EPERM before the deferment ends. */
    int rbd_trash_remove(Pointer ioCtx, String id, boolean force);

    /** {@code rbd_trash_image_info_t}. */
    @Structure.FieldOrder({"id", "name", "source", "deletionTime", "defermentEndTime"})
    class TrashImageInfo extends Structure {
        /** {@code RBD_TRASH_IMAGE_SOURCE_USER}: moved there by a user's rbd_trash_move. */
        static final int SOURCE_USER = 0;
        /** {@code RBD_TRASH_IMAGE_SOURCE_REMOVING}: a removal started and did not finish. */
        static final int SOURCE_REMOVING = 3;

        public String id;
        public String name;
        public int source;
        public long deletionTime;
        public long defermentEndTime;
    }

    /** {@code int (*)(uint64_t offset, size_t length, int exists, void *arg)}; non-zero stops the iteration. */
    interface DiffCallback extends Callback {
        int invoke(long offset, long length, int exists, Pointer arg);
    }

    /**
     * {@code int rbd_diff_iterate2(rbd_image_t image, const char *fromsnapname, uint64_t ofs, uint64_t len,
     * uint8_t include_parent, uint8_t whole_object, cb, void *arg)}: the extents that changed since
     * {@code fromsnapname} (null: every allocated extent), on the image as opened (head or a snapshot).
     */
    int rbd_diff_iterate2(Pointer image, String fromSnapName, long offset, long length, byte includeParent,
                          byte wholeObject, DiffCallback callback, Pointer arg);

    /** {@code int (*)(uint64_t offset, uint64_t total, void *arg)}: librbd's progress callback. */
    interface ProgressCallback extends Callback {
        int invoke(long offset, long total, Pointer arg);
    }

    /** {@code int rbd_flatten_with_progress(rbd_image_t image, librbd_progress_fn_t cb, void *cbdata)}. */
    int rbd_flatten_with_progress(Pointer image, ProgressCallback callback, Pointer arg);

    /** {@code int rbd_write_zeroes(rbd_image_t image, uint64_t ofs, size_t len, int zero_flags, int op_flags)}: the length zeroed, or -errno. */
    int rbd_write_zeroes(Pointer image, long offset, long length, int zeroFlags, int opFlags);

    /** {@code int rbd_snap_remove_by_id(rbd_image_t image, uint64_t snap_id)}: any namespace, e.g. a group's. */
    int rbd_snap_remove_by_id(Pointer image, long snapId);

    /** {@code RBD_SNAP_NAMESPACE_TYPE_GROUP}: a snapshot taken as part of a group snapshot. */
    int SNAP_NAMESPACE_GROUP = 1;

    /** {@code int rbd_snap_get_namespace_type(rbd_image_t image, uint64_t snap_id, rbd_snap_namespace_type_t *type)}. */
    int rbd_snap_get_namespace_type(Pointer image, long snapId, IntByReference namespaceType);

    /** {@code int rbd_get_id(rbd_image_t image, char *id, size_t id_len)}: the image's id (ERANGE if too short). */
    int rbd_get_id(Pointer image, byte[] id, long idLength);

    /**
     * {@code int rbd_snap_get_group_namespace(rbd_image_t image, uint64_t snap_id, rbd_snap_group_namespace_t *group_snap,
     * size_t group_snap_size)}: which group snapshot an image snapshot of the group namespace belongs to.
     */
    int rbd_snap_get_group_namespace(Pointer image, long snapId, SnapGroupNamespace groupSnap, long groupSnapSize);

    /** {@code int rbd_snap_group_namespace_cleanup(rbd_snap_group_namespace_t *group_snap, size_t group_snap_size)}. */
    int rbd_snap_group_namespace_cleanup(SnapGroupNamespace groupSnap, long groupSnapSize);

    /** {@code rbd_snap_group_namespace_t}: {@code int64_t group_pool; char *group_name; char *group_snap_name}. */
    @Structure.FieldOrder({"groupPool", "groupName", "groupSnapName"})
    class SnapGroupNamespace extends Structure {
        public long groupPool;
        public String groupName;
        public String groupSnapName;
    }

    // Groups (librbd 16.2): every call takes the group's pool I/O context; images may be in another pool's.

    /** {@code int rbd_group_create(rados_ioctx_t p, const char *name)}; -EEXIST when there is one. */
    int rbd_group_create(Pointer ioCtx, String name);

    /** {@code int rbd_group_remove(rados_ioctx_t p, const char *name)}: also removes its snapshots. */
    int rbd_group_remove(Pointer ioCtx, String name);

    /**
     * {@code int rbd_group_list(rados_ioctx_t p, char *names, size_t *size)}: the names, each ended by a NUL;
     * -ERANGE with the bytes needed when the buffer is too small.
     */
    int rbd_group_list(Pointer ioCtx, byte[] names, LongByReference size);

    /** {@code int rbd_group_image_add(rados_ioctx_t group_p, const char *group_name, rados_ioctx_t image_p, const char *image_name)}. */
    int rbd_group_image_add(Pointer groupIoCtx, String group, Pointer imageIoCtx, String image);

    /** {@code int rbd_group_image_remove(rados_ioctx_t group_p, const char *group_name, rados_ioctx_t image_p, const char *image_name)}. */
    int rbd_group_image_remove(Pointer groupIoCtx, String group, Pointer imageIoCtx, String image);

    /**
     * {@code int rbd_group_image_list(rados_ioctx_t group_p, const char *group_name, rbd_group_image_info_t *images,
     * size_t group_image_info_size, size_t *num_entries)}: -ERANGE with the count when {@code images} is too small.
     * librbd checks {@code group_image_info_size} against its own struct size (-ERANGE otherwise).
     */
    int rbd_group_image_list(Pointer groupIoCtx, String group, GroupImageInfo images, long infoSize,
                             LongByReference numEntries);

    /** {@code int rbd_group_image_list_cleanup(rbd_group_image_info_t *images, size_t group_image_info_size, size_t num_entries)}. */
    int rbd_group_image_list_cleanup(GroupImageInfo images, long infoSize, long numEntries);

    /** {@code rbd_group_image_info_t}: {@code char *name; int64_t pool; rbd_group_image_state_t state}. */
    @Structure.FieldOrder({"name", "pool", "state"})
    class GroupImageInfo extends Structure {
        /** {@code RBD_GROUP_IMAGE_STATE_ATTACHED}; INCOMPLETE (1) is an add or remove that did not finish. */
        static final int ATTACHED = 0;

        public String name;
        public long pool;
        public int state;
    }

    /** {@code int rbd_get_group(rbd_image_t image, rbd_group_info_t *group_info, size_t group_info_size)}: pool -1 when in none. */
    int rbd_get_group(Pointer image, GroupInfo groupInfo, long infoSize);

    /** {@code int rbd_group_info_cleanup(rbd_group_info_t *group_info, size_t group_info_size)}. */
    int rbd_group_info_cleanup(GroupInfo groupInfo, long infoSize);

    /** {@code rbd_group_info_t}: {@code char *name; int64_t pool}. */
    @Structure.FieldOrder({"name", "pool"})
    class GroupInfo extends Structure {
        public String name;
        public long pool;
    }

    /** {@code RBD_SNAP_CREATE_SKIP_QUIESCE}: take the snapshot without notifying quiesce watchers (rbd-nbd's). */
    int SNAP_CREATE_SKIP_QUIESCE = 1;

    /**
     * {@code int rbd_group_snap_create2(rados_ioctx_t group_p, const char *group_name, const char *snap_name,
     * uint32_t flags)}: one snapshot of every image of the group, taken while all of them are held still.
     */
    int rbd_group_snap_create2(Pointer groupIoCtx, String group, String snapshot, int flags);

    /** {@code int rbd_group_snap_create(rados_ioctx_t group_p, const char *group_name, const char *snap_name)}. */
    int rbd_group_snap_create(Pointer groupIoCtx, String group, String snapshot);

    /** {@code int rbd_group_snap_remove(rados_ioctx_t group_p, const char *group_name, const char *snap_name)}. */
    int rbd_group_snap_remove(Pointer groupIoCtx, String group, String snapshot);

    /**
     * {@code int rbd_group_snap_list(rados_ioctx_t group_p, const char *group_name, rbd_group_snap_info_t *snaps,
     * size_t group_snap_info_size, size_t *num_entries)}: the count, or -ERANGE with it when {@code snaps} is too small.
     */
    int rbd_group_snap_list(Pointer groupIoCtx, String group, GroupSnapInfo snaps, long infoSize,
                            LongByReference numEntries);

    /** {@code int rbd_group_snap_list_cleanup(rbd_group_snap_info_t *snaps, size_t group_snap_info_size, size_t num_entries)}. */
    int rbd_group_snap_list_cleanup(GroupSnapInfo snaps, long infoSize, long numEntries);

    /** {@code rbd_group_snap_info_t}: {@code char *name; rbd_group_snap_state_t state}. */
    @Structure.FieldOrder({"name", "state"})
    class GroupSnapInfo extends Structure {
        /** {@code RBD_GROUP_SNAP_STATE_COMPLETE}; INCOMPLETE (0) is a create that did not finish. */
        static final int COMPLETE = 1;

        public String name;
        public int state;
    }

    /** {@code int rbd_group_snap_rollback(rados_ioctx_t group_p, const char *group_name, const char *snap_name)}. */
    int rbd_group_snap_rollback(Pointer groupIoCtx, String group, String snapshot);

    /**
     * {@code int rbd_group_snap_rollback_with_progress(rados_ioctx_t group_p, const char *group_name,
     * const char *snap_name, librbd_progress_fn_t cb, void *cbdata)}.
     */
    int rbd_group_snap_rollback_with_progress(Pointer groupIoCtx, String group, String snapshot,
                                              ProgressCallback callback, Pointer arg);

    /** {@code RBD_LOCK_MODE_EXCLUSIVE}. */
    int LOCK_MODE_EXCLUSIVE = 0;

    /**
     * {@code int rbd_lock_get_owners(rbd_image_t image, rbd_lock_mode_t *lock_mode, char **lock_owners,
     * size_t *max_lock_owners)}: who holds the image's exclusive lock; -ENOENT when nobody does.
     */
    int rbd_lock_get_owners(Pointer image, IntByReference lockMode, Pointer[] owners, LongByReference maxOwners);

    /** {@code void rbd_lock_get_owners_cleanup(char **lock_owners, size_t lock_owner_count)}. */
    void rbd_lock_get_owners_cleanup(Pointer[] owners, long count);

    /**
     * {@code int rbd_watchers_list(rbd_image_t image, rbd_image_watcher_t *watchers, size_t *max_watchers)}: the
     * clients that have the image open (read-write); -ERANGE with the count when {@code watchers} is too small.
     */
    int rbd_watchers_list(Pointer image, ImageWatcher watchers, LongByReference maxWatchers);

    /** {@code void rbd_watchers_list_cleanup(rbd_image_watcher_t *watchers, size_t num_watchers)}. */
    void rbd_watchers_list_cleanup(ImageWatcher watchers, long numWatchers);

    /** {@code rbd_image_watcher_t}. */
    @Structure.FieldOrder({"addr", "id", "cookie"})
    class ImageWatcher extends Structure {
        public String addr;
        public long id;
        public long cookie;
    }

    /**
     * {@code int rbd_lock_acquire(rbd_image_t image, rbd_lock_mode_t lock_mode)}: takes the exclusive lock and keeps
     * it (other clients' requests for it are refused) until released or closed.
     */
    int rbd_lock_acquire(Pointer image, int lockMode);

    /**
     * {@code int rbd_list_children3(rbd_image_t image, rbd_linked_image_spec_t *images, size_t *max_images)}: the
     * clones of the snapshot the image is opened at, those in the RBD trash included (flagged); -ERANGE with the
     * count when {@code images} is too small.
     */
    int rbd_list_children3(Pointer image, LinkedImageSpec images, LongByReference maxImages);

    /** {@code void rbd_linked_image_spec_list_cleanup(rbd_linked_image_spec_t *images, size_t num_images)}. */
    void rbd_linked_image_spec_list_cleanup(LinkedImageSpec images, long count);

    /**
     * {@code rbd_linked_image_spec_t}: {@code int64_t pool_id; char *pool_name; char *pool_namespace; char *image_id;
     * char *image_name; bool trash}. C's bool is one byte (JNA's boolean would read four).
     */
    @Structure.FieldOrder({"poolId", "poolName", "poolNamespace", "imageId", "imageName", "trash"})
    class LinkedImageSpec extends Structure {
        public long poolId;
        public String poolName;
        public String poolNamespace;
        public String imageId;
        public String imageName;
        public byte trash;
    }

    /** {@code rbd_snap_spec_t}: {@code uint64_t id; rbd_snap_namespace_type_t namespace_type; char *name}. */
    @Structure.FieldOrder({"id", "namespaceType", "name"})
    class SnapSpec extends Structure {
        public long id;
        public int namespaceType;
        public String name;
    }

    /**
     * {@code int rbd_get_parent(rbd_image_t image, rbd_linked_image_spec_t *parent_image, rbd_snap_spec_t *parent_snap)}:
     * the image and snapshot a clone depends on; -ENOENT when it has no parent (never cloned, or flattened).
     */
    int rbd_get_parent(Pointer image, LinkedImageSpec parentImage, SnapSpec parentSnap);

    /** {@code void rbd_linked_image_spec_cleanup(rbd_linked_image_spec_t *image)}. */
    void rbd_linked_image_spec_cleanup(LinkedImageSpec image);

    /** {@code void rbd_snap_spec_cleanup(rbd_snap_spec_t *snap)}. */
    void rbd_snap_spec_cleanup(SnapSpec snap);

    /** {@code int rbd_open_by_id(rados_ioctx_t io, const char *id, rbd_image_t *image, const char *snap_name)}: also opens images in the trash. */
    int rbd_open_by_id(Pointer ioCtx, String id, PointerByReference image, String snapName);

    /** {@code int rbd_close(rbd_image_t image)}. */
    int rbd_close(Pointer image);

    /** {@code int rbd_get_size(rbd_image_t image, uint64_t *size)}. */
    int rbd_get_size(Pointer image, LongByReference size);

    /**
     * {@code ssize_t rbd_read(rbd_image_t image, uint64_t ofs, size_t len, char *buf)}: the bytes read, or
     * -errno. Bound here (rados-java has it too) to read into native memory the caller reuses, instead
     * of JNA's fresh copy of a Java array on every call.
     */
    long rbd_read(Pointer image, long offset, long length, Pointer buffer);

    /** {@code ssize_t rbd_write(rbd_image_t image, uint64_t ofs, size_t len, const char *buf)}: as {@link #rbd_read}. */
    long rbd_write(Pointer image, long offset, long length, Pointer buffer);

    /**
     * {@code int rbd_aio_create_completion(void *cb_arg, rbd_callback_t complete_cb, rbd_completion_t *c)}: 0 or
     * -errno. Both callback arguments may be NULL: the caller waits with {@link #rbd_aio_wait_for_complete}.
     */
    int rbd_aio_create_completion(Pointer callbackArg, Pointer callback, PointerByReference completion);

    /**
     * librados' {@code LIBRADOS_OP_FLAG_FADVISE_NOCACHE}: the data will not be read again by this client, so the OSD
     * need not keep it in its cache. A backup reads each byte once and a restore writes each once; Ceph's own
     * {@code rbd export-diff} and {@code import-diff} pass it on every read and write (without it BlueStore caches
     * what a backup reads, in place of the guests' hot data).
     */
    int FADVISE_NOCACHE = 0x40;

    /**
     * {@code int rbd_aio_write2(rbd_image_t image, uint64_t off, size_t len, const char *buf, rbd_completion_t c,
     * int op_flags)}: 0 when queued, or -errno. {@code buf} must stay untouched until the completion is complete.
     */
    int rbd_aio_write2(Pointer image, long offset, long length, Pointer buffer, Pointer completion, int opFlags);

    /**
     * {@code int rbd_aio_read2(rbd_image_t image, uint64_t off, size_t len, char *buf, rbd_completion_t c,
     * int op_flags)}: 0 when queued, or -errno; the completion's return value is the bytes read, or -errno.
     */
    int rbd_aio_read2(Pointer image, long offset, long length, Pointer buffer, Pointer completion, int opFlags);

    /**
     * {@code int rbd_aio_write_zeroes(rbd_image_t image, uint64_t off, size_t len, rbd_completion_t c,
     * int zero_flags, int op_flags)}: 0 when queued, or -errno.
     */
    int rbd_aio_write_zeroes(Pointer image, long offset, long length, Pointer completion, int zeroFlags, int opFlags);

    /**
     * {@code int rbd_config_image_list(rbd_image_t image, rbd_config_option_t *options, int *max_options)}: the
     * image's rbd_* settings as librbd computes them (the client's, then the pool's and the image's {@code conf_}
     * metadata), each {@code {char *name; char *value; rbd_config_source_t source}} ({@link #CONFIG_OPTION_BYTES});
     * -ERANGE with {@code max_options} set to the count when there is not room for all. Freed by
     * {@link #rbd_config_image_list_cleanup}.
     */
    int rbd_config_image_list(Pointer image, Pointer options, IntByReference maxOptions);

    /** The size of one {@code rbd_config_option_t} on a 64-bit host: two pointers and an int, padded. */
    int CONFIG_OPTION_BYTES = 24;

    /** {@code void rbd_config_image_list_cleanup(rbd_config_option_t *options, int max_options)}. */
    void rbd_config_image_list_cleanup(Pointer options, int maxOptions);

    /** {@code int rbd_aio_wait_for_complete(rbd_completion_t c)}. */
    int rbd_aio_wait_for_complete(Pointer completion);

    /**
     * {@code ssize_t rbd_aio_get_return_value(rbd_completion_t c)}: for a read the bytes read, for a write 0 or
     * more; -errno on failure.
     */
    long rbd_aio_get_return_value(Pointer completion);

    /** {@code void rbd_aio_release(rbd_completion_t c)}. */
    void rbd_aio_release(Pointer completion);

    /** {@code int rbd_get_stripe_count(rbd_image_t image, uint64_t *stripe_count)}. */
    int rbd_get_stripe_count(Pointer image, LongByReference stripeCount);

    /** {@code int64_t rbd_get_data_pool_id(rbd_image_t image)}: the pool of the image's data objects. */
    long rbd_get_data_pool_id(Pointer image);

    /**
     * {@code int rbd_get_overlap(rbd_image_t image, uint64_t *overlap)}: the bytes shared with the parent at the open
     * snapshot; -ENOENT when the image has no parent there.
     */
    int rbd_get_overlap(Pointer image, LongByReference overlap);

    /**
     * {@code int rbd_get_block_name_prefix(rbd_image_t image, char *prefix, size_t prefix_len)}: the data objects'
     * name prefix, NUL-terminated; -ERANGE when the buffer is too small.
     */
    int rbd_get_block_name_prefix(Pointer image, byte[] prefix, long prefixLength);

    /** {@code RBD_FEATURE_MIGRATING}: the image is being migrated; objects not moved yet are read from the source. */
    long FEATURE_MIGRATING = 1L << 8;

    /** {@code RBD_FEATURE_FAST_DIFF}: each snapshot's object map says which objects changed since the one before. */
    long FEATURE_FAST_DIFF = 1L << 4;

    /** {@code RBD_FLAG_OBJECT_MAP_INVALID}: the object map (of the image or snapshot as opened) cannot be trusted. */
    long FLAG_OBJECT_MAP_INVALID = 1L;

    /** {@code RBD_FLAG_FAST_DIFF_INVALID}: the fast-diff states (of the image or snapshot as opened) cannot be trusted. */
    long FLAG_FAST_DIFF_INVALID = 1L << 1;

    /** {@code int rbd_get_flags(rbd_image_t image, uint64_t *flags)}: of the image or snapshot as opened. */
    int rbd_get_flags(Pointer image, LongByReference flags);

    /** {@code int rbd_snap_get_id(rbd_image_t image, const char *snapname, uint64_t *snap_id)}. */
    int rbd_snap_get_id(Pointer image, String snapName, LongByReference snapId);
}
