package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.util.Optional;

/**
 * The settings librbd applies to an open image: the client's (what {@link RadosConnector} sets), then the pool's and
 * the image's {@code conf_rbd_*} metadata, which an admin sets with {@code rbd config pool|image set} and which beat
 * the client's.
 */
final class ImageConfig {

    private static final int FIRST_GUESS = 128;

    private ImageConfig() {
    }

    /** The value librbd computes for {@code name} (an rbd_* option) on {@code image}, if it lists one. */
    static Optional<String> value(RbdImage image, String name) throws CephException {
        int room = FIRST_GUESS;
        while (true) {
            IntByReference count = new IntByReference(room);
            Memory options = new Memory((long) room * LibRbd.CONFIG_OPTION_BYTES);
            options.clear();
            int rc = LibRbd.INSTANCE.rbd_config_image_list(image.getPointer(), options, count);
            if (rc == -CephErrors.ERANGE && count.getValue() > room) {
                room = count.getValue();
                continue;
            }
            if (rc < 0) {
                throw new CephException("cannot list the image's settings: " + CephErrors.describe(rc), rc);
            }
            try {
                for (int i = 0; i < count.getValue(); i++) {
                    long at = (long) i * LibRbd.CONFIG_OPTION_BYTES;
                    if (name.equals(options.getPointer(at).getString(0))) {
                        return Optional.of(options.getPointer(at + Native.POINTER_SIZE).getString(0));
                    }
                }
                return Optional.empty();
            } finally {
                LibRbd.INSTANCE.rbd_config_image_list_cleanup(options, count.getValue());
            }
        }
    }

    /**
     * Whether librbd copies a write's bytes before {@code rbd_aio_write2} returns, so that the caller's buffer is
     * free again at once: when the image's {@code rbd_disable_zero_copy_writes} is true (Ceph's default; librbd
     * latches it when it opens the image and never turns it back). Zero-copy writes read the caller's buffer until
     * they end.
     */
    static boolean librbdCopiesWrites(RbdImage image) throws CephException {
        return value(image, "rbd_disable_zero_copy_writes").map("true"::equals).orElse(false);
    }

    /**
     * {@link #librbdCopiesWrites(RbdImage)} read on a read-only handle of its own, to be read before the image is
     * opened for writing and again after: librbd latches the setting when it opens the image, so an admin's change of
     * it between that open and one reading alone could go unseen. False when it cannot be read.
     */
    static boolean librbdCopiesWrites(Rbd rbd, String image) {
        RbdImage probe;
        try {
            probe = rbd.openReadOnly(image);
        } catch (RbdException e) {
            return false; // the open for writing says why
        }
        try {
            return librbdCopiesWrites(probe);
        } catch (CephException e) {
            return false; // as if it did not: each write keeps its buffer until it ends
        } finally {
            try {
                rbd.close(probe);
            } catch (RbdException e) {
                // a read-only handle that wrote nothing: nothing to lose
            }
        }
    }
}
