package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Templates as RBD images of one session's pool: a raw file written into a new image, which then gets
 * its protected base snapshot; copy-on-write clones of that snapshot for new volumes; flattening a clone.
 */
public final class RbdTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(RbdTemplates.class);
    /** Write unit: 4 MiB, librbd's default object size. */
    private static final int CHUNK = 4 << 20;

    private final RadosSession session;
    private final RbdImages images;

    public RbdTemplates(RadosSession session) {
        this.session = Objects.requireNonNull(session, "session");
        this.images = new RbdImages(session);
    }

    /**
     * Creates image {@code name} with the raw content of {@code file}. Blocks that are all zeros are not
     * written, so the image stays thin. A failure deletes the half-written image.
     */
    public RbdImageInfo importRaw(Path file, String name, ProgressReporter progress) throws CephException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CephException("cannot read " + file + ": " + e.getMessage(), -CephErrors.EIO, e);
        }
        if (size == 0) {
            throw new CephException("the template is empty", -CephErrors.EINVAL);
        }
        images.create(name, size);
        Rbd rbd = new Rbd(session.ioCtx());
        try {
            RbdImage image = rbd.open(name);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[CHUNK];
                long offset = 0;
                int read;
                while ((read = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                    if (!allZero(buffer, read)) {
                        byte[] data = read == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, read);
                        image.write(data, offset, read);
                    }
                    offset += read;
                    progress.report(offset, size);
                }
            } finally {
                rbd.close(image);
            }
        } catch (IOException | RuntimeException e) { // RbdException is an IOException
            images.delete(name);
            throw new CephException("cannot write the template into image " + session.pool().cephPool() + "/" + name
                    + ": " + e.getMessage(), -CephErrors.EIO, e);
        }
        LOG.info("Wrote template image {}/{} ({} bytes)", session.pool().cephPool(), name, size);
        return images.info(name).orElseThrow();
    }

    /** Takes and protects snapshot {@code snapshot} of the template image, the parent of its clones. */
    public void protectBase(String name, String snapshot) throws CephException {
        new RbdSnapshots(session).create(name, snapshot);
        Rbd rbd = new Rbd(session.ioCtx());
        try {
            RbdImage image = rbd.open(name);
            try {
                if (!image.snapIsProtected(snapshot)) {
                    image.snapProtect(snapshot);
                }
            } finally {
                rbd.close(image);
            }
        } catch (RbdException e) {
            throw new CephException("cannot protect snapshot " + name + "@" + snapshot + ": "
                    + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
        }
    }

    /**
     * Makes {@code name} a copy-on-write clone of {@code parent@snapshot} (no data copied), grown to
     * {@code sizeBytes} when that is larger than the parent. A retry finds the clone made and only grows it.
     */
    public RbdImageInfo cloneTemplate(String parent, String snapshot, String name, long sizeBytes)
            throws CephException {
        RbdSnapshots.checkNames(parent, snapshot);
        RbdSnapshots.checkNames(name, snapshot);
        if (!images.exists(name)) {
            try {
                new Rbd(session.ioCtx()).clone(parent, snapshot, session.ioCtx(), name, RbdImages.FEATURES, 0);
            } catch (RbdException e) {
                throw new CephException("cannot clone " + session.pool().cephPool() + "/" + parent + "@" + snapshot
                        + " into image " + name + ": " + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
            }
            LOG.info("Cloned RBD image {}/{} from template {}@{}", session.pool().cephPool(), name, parent, snapshot);
        }
        RbdImageInfo clone = images.info(name).orElseThrow();
        try {
            return sizeBytes > clone.sizeBytes() ? images.resize(name, sizeBytes) : clone;
        } catch (CephException e) {
            images.delete(name);
            throw e;
        }
    }

    private static boolean allZero(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
