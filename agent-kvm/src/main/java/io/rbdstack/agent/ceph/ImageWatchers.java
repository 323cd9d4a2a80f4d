package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.ptr.LongByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients that have an image open read-write (each holds a Ceph watch on it: QEMU for a running VM). Ceph
 * refuses to remove a watched image; a killed client's watch lasts until Ceph times it out (about 30 s), and
 * librbd first tries that long (about 10 s here) to get the image's lock from it. Asking first fails at once.
 */
final class ImageWatchers {

    private static final int FIRST_GUESS = 8;

    private ImageWatchers() {
    }

    /** The watchers' client addresses; empty when nobody has the image open. ENOENT when there is no image. */
    static List<String> of(RadosSession session, String name) throws CephException {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage image;
        try {
            image = rbd.openReadOnly(name); // a read-only open holds no watch, so only the others are listed
        } catch (RbdException e) {
            throw new CephException("cannot open image " + session.pool().cephPool() + "/" + name + ": "
                    + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
        }
        try {
            return of(image);
        } finally {
            RbdImageGroup.close(rbd, image);
        }
    }

    /** The watchers of an image opened read-only (a read-write open would list its own watch too). */
    static List<String> of(RbdImage image) throws CephException {
        LibRbd.ImageWatcher[] watchers = (LibRbd.ImageWatcher[]) new LibRbd.ImageWatcher().toArray(FIRST_GUESS);
        LongByReference count = new LongByReference(FIRST_GUESS);
        int rc = LibRbd.INSTANCE.rbd_watchers_list(image.getPointer(), watchers[0], count);
        if (rc == -CephErrors.ERANGE) {
            watchers = (LibRbd.ImageWatcher[]) new LibRbd.ImageWatcher().toArray((int) count.getValue());
            rc = LibRbd.INSTANCE.rbd_watchers_list(image.getPointer(), watchers[0], count);
        }
        if (rc < 0) {
            throw new CephException("cannot list the clients that have image " + image.getName() + " open: "
                    + CephErrors.describe(rc), rc);
        }
        int n = (int) count.getValue();
        List<String> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            watchers[i].read();
            result.add(watchers[i].addr);
        }
        if (n > 0) {
            LibRbd.INSTANCE.rbd_watchers_list_cleanup(watchers[0], n);
        }
        return result;
    }

    /** EBUSY naming the watchers when a client has the image open; nothing when there is no image (ENOENT). */
    static void requireNone(RadosSession session, String name, String what) throws CephException {
        List<String> watchers;
        try {
            watchers = of(session, name);
        } catch (CephException e) {
            if (Math.abs(e.returnCode()) == CephErrors.ENOENT) {
                return;
            }
            throw e;
        }
        requireNone(session, name, what, watchers);
    }

    /** EBUSY naming the watchers when a client has the image, opened read-only, open. */
    static void requireNone(RadosSession session, RbdImage image, String what) throws CephException {
        requireNone(session, image.getName(), what, of(image));
    }

    private static void requireNone(RadosSession session, String name, String what, List<String> watchers)
            throws CephException {
        if (!watchers.isEmpty()) {
            throw new CephException(what + ": a client still has it open: " + session.pool().cephPool() + "/" + name
                    + " (watched by " + String.join(", ", watchers) + "): " + CephErrors.describe(-CephErrors.EBUSY),
                    -CephErrors.EBUSY);
        }
    }
}
