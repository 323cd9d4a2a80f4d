package io.rbdstack.agent.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.rbdstack.spi.agent.handler.ProgressReporter;

/** librbd's flatten of an open clone, its progress given as bytes of the image's size. */
final class ImageFlatten {

    private ImageFlatten() {
    }

    /** rbd_flatten_with_progress' result: 0, -EINVAL for an image without a parent (flattened already), or -errno. */
    static int run(Pointer image, long sizeBytes, ProgressReporter progress) {
        // librbd reports objects copied of objects in all; as bytes of the image's size, the job shows them.
        LibRbd.ProgressCallback callback = (offset, total, arg) -> {
            progress.report(total <= 0 ? sizeBytes : offset * sizeBytes / total, sizeBytes);
            return 0;
        };
        progress.report(0, sizeBytes);
        int rc = LibRbd.INSTANCE.rbd_flatten_with_progress(image, callback, Pointer.NULL);
        java.lang.ref.Reference.reachabilityFence(callback); // JNA must not lose it during the call
        if (rc == 0) {
            progress.report(sizeBytes, sizeBytes);
        }
        return rc;
    }

    /**
     * Flattens the image with this id, which may be in the RBD trash (librbd opens trashed images by id), so
     * it no longer depends on its parent snapshot.
     */
    static void byId(RadosSession session, String imageId, String name, ProgressReporter progress)
            throws CephException {
        PointerByReference handle = new PointerByReference();
        int rc = LibRbd.INSTANCE.rbd_open_by_id(session.ioCtx().getPointer(), imageId, handle, null);
        if (rc < 0) {
            throw new CephException("cannot open image " + session.pool().cephPool() + "/" + name + " (id " + imageId
                    + "): " + CephErrors.describe(rc), rc);
        }
        Pointer image = handle.getValue();
        try {
            LongByReference size = new LongByReference();
            rc = LibRbd.INSTANCE.rbd_get_size(image, size);
            if (rc >= 0) {
                rc = run(image, size.getValue(), progress);
            }
            if (rc < 0 && rc != -CephErrors.EINVAL) {
                throw new CephException("cannot flatten image " + session.pool().cephPool() + "/" + name + " (id "
                        + imageId + "): " + CephErrors.describe(rc), rc);
            }
        } finally {
            LibRbd.INSTANCE.rbd_close(image);
        }
    }
}
