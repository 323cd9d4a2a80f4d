package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Who holds an image's exclusive lock: a client that has it open and writes (QEMU for a running VM). librbd
 * hands that lock over to whoever asks for it, so a rollback would succeed under a running guest and
 * corrupt its disk; asking first is what keeps a rollback away from an image in use.
 */
final class ImageLockOwners {

    private ImageLockOwners() {
    }

    /** The lock owners' client addresses; empty when nobody holds the lock. ENOENT when there is no image. */
    static List<String> of(RadosSession session, String name) throws CephException {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage image;
        try {
            image = rbd.open(name); // opening read-write takes no lock: only a write does
        } catch (RbdException e) {
            throw new CephException("cannot open image " + session.pool().cephPool() + "/" + name + ": "
                    + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
        }
        try {
            return of(image.getPointer(), name);
        } finally {
            RbdImageGroup.close(rbd, image);
        }
    }

    private static List<String> of(Pointer image, String name) throws CephException {
        Pointer[] owners = new Pointer[8];
        LongByReference count = new LongByReference(owners.length);
        IntByReference mode = new IntByReference();
        int rc = LibRbd.INSTANCE.rbd_lock_get_owners(image, mode, owners, count);
        if (rc == -CephErrors.ENOENT) {
            return List.of();
        }
        if (rc == -CephErrors.ERANGE) {
            owners = new Pointer[(int) count.getValue()];
            rc = LibRbd.INSTANCE.rbd_lock_get_owners(image, mode, owners, count);
        }
        if (rc < 0) {
            throw new CephException("cannot read who holds the lock of image " + name + ": "
                    + CephErrors.describe(rc), rc);
        }
        List<String> result = new ArrayList<>();
        int n = (int) count.getValue();
        for (int i = 0; i < n; i++) {
            result.add(owners[i].getString(0));
        }
        LibRbd.INSTANCE.rbd_lock_get_owners_cleanup(owners, n);
        return result;
    }
}
