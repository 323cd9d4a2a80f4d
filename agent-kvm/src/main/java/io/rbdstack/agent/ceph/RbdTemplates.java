package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Deletes template image {@code name} with its base {@code snapshot}. Refused (EBUSY, naming them) while clones
     * outside the trash depend on it: the engine flattens the volumes it knows before. Clones in the RBD trash
     * (deleted volumes waiting for their deferral) pin the snapshot too; they are named in the refusal, unless
     * {@code flattenTrashedClones}: then one whose deferral is over is purged, and one still deferred is flattened,
     * so it keeps its data for as long as its delete promised. False when there was no such image.
     */
    public boolean delete(String name, String snapshot, boolean flattenTrashedClones, ProgressReporter progress)
            throws CephException {
        RbdSnapshots.checkNames(name, snapshot);
        if (!images.exists(name)) {
            return false;
        }
        if (new RbdSnapshots(session).list(name).stream().anyMatch(s -> s.name().equals(snapshot))) {
            List<RbdChildren.Child> children = RbdChildren.of(session, name, snapshot);
            List<String> live = children.stream().filter(c -> !c.inTrash()).map(c -> c.pool() + "/" + c.image()).toList();
            if (!live.isEmpty()) {
                throw new CephException("cannot delete template image " + session.pool().cephPool() + "/" + name + ": "
                        + live.size() + " clone(s) depend on it: " + String.join(", ", live)
                        + " (flatten or delete them first)", -CephErrors.EBUSY);
            }
            List<RbdChildren.Child> trashed = children.stream().filter(RbdChildren.Child::inTrash).toList();
            if (!trashed.isEmpty() && !flattenTrashedClones) {
                throw new CephException("cannot delete template image " + session.pool().cephPool() + "/" + name + ": "
                        + trashed.size() + " deleted volume(s) in the RBD trash still depend on it: "
                        + String.join(", ", trashed.stream().map(c -> c.image() + " (trash id " + c.imageId() + ")")
                        .toList()) + "; forced=true flattens them (or wait until they are purged)", -CephErrors.EBUSY);
            }
            for (RbdChildren.Child child : trashed) {
                releaseTrashed(child, progress);
            }
        }
        return images.delete(name);
    }

    private void releaseTrashed(RbdChildren.Child child, ProgressReporter progress) throws CephException {
        if (!child.pool().equals(session.pool().cephPool())) {
            throw new CephException("clone " + child.pool() + "/" + child.image() + " in the RBD trash is in another"
                    + " pool, which this command cannot reach", -CephErrors.EINVAL);
        }
        if (new RbdTrash(session).removeIfExpired(child.imageId())) {
            return; // its deferral was over: nothing of it had to be kept
        }
        ImageFlatten.byId(session, child.imageId(), child.image(), progress);
        LOG.info("Flattened clone {}/{} (trash id {}) of a template being deleted; it stays in the trash until its"
                + " deferral ends", session.pool().cephPool(), child.image(), child.imageId());
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
