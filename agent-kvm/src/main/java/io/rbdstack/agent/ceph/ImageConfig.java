package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image's rbd_* settings as librbd computes them now: the client's (what {@link RadosConnector} sets), then the
 * pool's and the image's {@code conf_rbd_*} metadata, which an admin sets with {@code rbd config pool|image set} and
 * which beat the client's. librbd applied them when it opened the image; they may have changed since.
 */
final class ImageConfig {

    private static final Logger LOG = LoggerFactory.getLogger(ImageConfig.class);

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
     * {@link #librbdCopiesWrites(RbdImage)} on a read-only handle of its own: read before the image is opened for
     * writing, and the writing handle's read after, since librbd latches the setting at the open and a change between
     * that open and a single reading could go unseen. False when it cannot be read (logged; a missing image is the
     * writing open's to report).
     */
    static boolean librbdCopiesWrites(Rbd rbd, String image) {
        RbdImage probe;
        try {
            probe = rbd.openReadOnly(image);
        } catch (RbdException e) {
            if (Math.abs(e.getReturnValue()) != CephErrors.ENOENT) {
                LOG.warn("Cannot open {} to read its settings ({}): each write keeps its buffer until it ends", image,
                        CephErrors.describe(e.getReturnValue()));
            }
            return false;
        }
        try {
            return librbdCopiesWrites(probe);
        } catch (CephException e) {
            LOG.warn("Cannot read the settings of {} ({}): each write keeps its buffer until it ends", image,
                    e.getMessage());
            return false;
        } finally {
            try {
                rbd.close(probe);
            } catch (RbdException e) {
                LOG.debug("Closing the read-only handle of {}: {}", image, CephErrors.describe(e.getReturnValue()));
            }
        }
    }
}
