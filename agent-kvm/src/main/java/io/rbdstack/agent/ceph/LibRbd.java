package io.rbdstack.agent.ceph;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;

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
}
