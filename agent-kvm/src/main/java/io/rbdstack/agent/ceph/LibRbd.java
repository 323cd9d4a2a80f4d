package io.rbdstack.agent.ceph;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * The two librbd calls rados-java 0.6.0 lacks, bound with JNA to the same librbd it loads. Both
 * take the native handles rados-java already holds ({@code IoCTX.getPointer()},
 * {@code RbdImage.getPointer()}), so no key or command line is involved.
 */
interface LibRbd extends Library {

    LibRbd INSTANCE = Native.load("rbd", LibRbd.class);

    /** {@code int rbd_get_features(rbd_image_t image, uint64_t *features)}. */
    int rbd_get_features(Pointer image, LongByReference features);

    /** {@code int rbd_trash_move(rados_ioctx_t io, const char *name, uint64_t delay)}; delay in seconds. */
    int rbd_trash_move(Pointer ioCtx, String name, long delaySeconds);
}
