package io.rbdstack.agent.ceph;

import com.sun.jna.Pointer;
import java.util.Optional;

/** The snapshot an open clone depends on (rbd_get_parent); rados-java has no such call. */
final class ImageParent {

    private ImageParent() {
    }

    /** {@code pool/image@snapshot} of the clone's parent; empty when the image has none (never cloned, or flattened). */
    static Optional<String> of(Pointer image, String name) throws CephException {
        LibRbd.LinkedImageSpec parent = new LibRbd.LinkedImageSpec();
        LibRbd.SnapSpec snapshot = new LibRbd.SnapSpec();
        int rc = LibRbd.INSTANCE.rbd_get_parent(image, parent, snapshot);
        if (rc == -CephErrors.ENOENT) {
            return Optional.empty();
        }
        if (rc < 0) {
            throw new CephException("cannot read the parent of image " + name + ": " + CephErrors.describe(rc), rc);
        }
        try {
            return Optional.of(parent.poolName + "/" + parent.imageName + "@" + snapshot.name);
        } finally {
            // Hand librbd back its own strings, unchanged, to free.
            parent.setAutoWrite(false);
            snapshot.setAutoWrite(false);
            LibRbd.INSTANCE.rbd_linked_image_spec_cleanup(parent);
            LibRbd.INSTANCE.rbd_snap_spec_cleanup(snapshot);
        }
    }
}
