package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.ceph.rbd.jna.RbdSnapInfo;
import com.sun.jna.ptr.LongByReference;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RBD images of one session's pool: create, look at, grow, delete now or through the trash. */
public final class RbdImages {

    public static final long LAYERING = 1;
    public static final long EXCLUSIVE_LOCK = 4;
    public static final long OBJECT_MAP = 8;
    public static final long FAST_DIFF = 16;
    public static final long DEEP_FLATTEN = 32;
    /** Every image gets exactly these: what clones, fast snapshot diffs and backups need. */
    public static final long FEATURES = LAYERING | EXCLUSIVE_LOCK | OBJECT_MAP | FAST_DIFF | DEEP_FLATTEN;

    /** 0 lets librbd pick its rbd_default_order (4 MiB objects unless the cluster says otherwise). */
    private static final int DEFAULT_ORDER = 0;

    private static final Logger LOG = LoggerFactory.getLogger(RbdImages.class);

    private final RadosSession session;

    public RbdImages(RadosSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /** A new format-2 image with {@link #FEATURES}; EEXIST when the name is taken. */
    public RbdImageInfo create(String name, long sizeBytes) throws CephException {
        checkName(name);
        if (sizeBytes <= 0) {
            throw new CephException("image size must be positive, got " + sizeBytes, -CephErrors.EINVAL);
        }
        try {
            rbd().create(name, sizeBytes, FEATURES, DEFAULT_ORDER);
        } catch (RbdException e) {
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.EEXIST ? "image already exists"
                    : "cannot create the image", name, e);
        }
        LOG.info("Created RBD image {}/{} of {} bytes", session.pool().cephPool(), name, sizeBytes);
        return info(name).orElseThrow(() -> new CephException("image " + name + " vanished after creation",
                -CephErrors.ENOENT));
    }

    /**
     * {@link #create}, or the image already there when it is what that create makes (the same size, no parent):
     * a create resent after the host running it was lost finds what the lost host made. Anything else under the
     * name is refused as {@link #create} refuses it.
     */
    public RbdImageInfo createIfAbsent(String name, long sizeBytes) throws CephException {
        try {
            return create(name, sizeBytes);
        } catch (CephException e) {
            if (Math.abs(e.returnCode()) != CephErrors.EEXIST) {
                throw e;
            }
            Optional<RbdImageInfo> existing = info(name);
            if (existing.isEmpty() || existing.get().sizeBytes() != sizeBytes || parent(name).isPresent()) {
                throw e;
            }
            LOG.info("RBD image {}/{} of {} bytes was already there: taken as created", session.pool().cephPool(),
                    name, sizeBytes);
            return existing.get();
        }
    }

    /** The session this works in, for the snapshot and backup classes working on the same images. */
    public RadosSession session() {
        return session;
    }

    /**
     * A new image {@code name} that is a copy-on-write clone of {@code parent@snapshot}: no data is copied, so it
     * takes the same time whatever the size. The snapshot is protected (and stays so while clones depend on it).
     * A retry finds the image made and leaves it.
     */
    public RbdImageInfo cloneLinked(String parent, String snapshot, String name) throws CephException {
        checkNames(parent, snapshot, name);
        Rbd rbd = rbd();
        RbdImage source = open(rbd, parent, "cannot open the image");
        try {
            protect(source, parent, snapshot);
            cloneIfMissing(rbd, parent, snapshot, name);
        } finally {
            close(rbd, source);
        }
        LOG.info("Cloned RBD image {}/{} from snapshot {}@{}", session.pool().cephPool(), name, parent, snapshot);
        return info(name).orElseThrow(() -> new CephException("image " + name + " vanished after its creation",
                -CephErrors.ENOENT));
    }

    /**
     * A new image {@code name} with the content of {@code parent@snapshot}: cloned (protecting the
     * snapshot for as long as that takes) and flattened, so it does not depend on the snapshot. A
     * retry finds the image made and only flattens it again; a failure deletes the half-made one.
     */
    public RbdImageInfo cloneFlattened(String parent, String snapshot, String name) throws CephException {
        return cloneFlattened(parent, snapshot, name, ProgressReporter.NONE);
    }

    /** {@link #cloneFlattened(String, String, String)}, reporting the flatten's progress in bytes of the image. */
    public RbdImageInfo cloneFlattened(String parent, String snapshot, String name, ProgressReporter progress)
            throws CephException {
        checkNames(parent, snapshot, name);
        Rbd rbd = rbd();
        RbdImage source = open(rbd, parent, "cannot open the image");
        boolean protectedHere = false;
        try {
            protectedHere = protect(source, parent, snapshot);
            cloneIfMissing(rbd, parent, snapshot, name);
            try {
                flatten(rbd, name, progress);
            } catch (CephException e) {
                delete(name);
                throw e;
            }
        } finally {
            if (protectedHere) {
                unprotectIfUnused(source, parent, snapshot);
            }
            close(rbd, source);
        }
        LOG.info("Created RBD image {}/{} from snapshot {}@{}", session.pool().cephPool(), name, parent, snapshot);
        return info(name).orElseThrow(() -> new CephException("image " + name + " vanished after its creation",
                -CephErrors.ENOENT));
    }

    /** The snapshot {@code pool/image@snapshot} a clone depends on; empty for an image that depends on none. */
    public Optional<String> parent(String name) throws CephException {
        return readOnly(name, image -> ImageParent.of(image.getPointer(), session.pool().cephPool() + "/" + name))
                .orElseThrow(() -> new CephException("no such image: " + session.pool().cephPool() + "/" + name,
                        -CephErrors.ENOENT));
    }

    private static void checkNames(String parent, String snapshot, String name) throws CephException {
        checkName(parent);
        checkName(name);
        RbdSnapshots.checkNames(parent, snapshot);
    }

    /** Protects the snapshot (clones need it); true when this call did, false when it already was. */
    private boolean protect(RbdImage source, String parent, String snapshot) throws CephException {
        try {
            if (source.snapIsProtected(snapshot)) {
                return false;
            }
            source.snapProtect(snapshot);
            return true;
        } catch (RbdException e) {
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.ENOENT ? "no snapshot " + snapshot
                    : "cannot protect snapshot " + snapshot, parent, e);
        }
    }

    private void cloneIfMissing(Rbd rbd, String parent, String snapshot, String name) throws CephException {
        if (exists(name)) {
            return;
        }
        try {
            rbd.clone(parent, snapshot, session.ioCtx(), name, FEATURES, DEFAULT_ORDER);
        } catch (RbdException e) {
            throw failure("cannot clone snapshot " + snapshot + " into image " + name, parent, e);
        }
    }

    /**
     * Copies into clone {@code name} what it shares with its parent, so it no longer depends on it (an
     * image without a parent is left as it is), reporting the progress in bytes of the image.
     */
    public RbdImageInfo flatten(String name, ProgressReporter progress) throws CephException {
        checkName(name);
        flatten(rbd(), name, progress);
        LOG.info("Flattened RBD image {}/{}", session.pool().cephPool(), name);
        return info(name).orElseThrow(() -> new CephException("image " + name + " vanished while it was flattened",
                -CephErrors.ENOENT));
    }

    private void flatten(Rbd rbd, String name, ProgressReporter progress) throws CephException {
        RbdImage clone = open(rbd, name, "cannot open the clone");
        try {
            int rc = ImageFlatten.run(clone.getPointer(), clone.stat().size, progress);
            if (rc < 0 && rc != -CephErrors.EINVAL) { // EINVAL: no parent, flattened already (a retry)
                throw new CephException("cannot flatten the clone: " + session.pool().cephPool() + "/" + name + ": "
                        + CephErrors.describe(rc), rc);
            }
        } catch (RbdException e) {
            throw failure("cannot flatten the clone", name, e);
        } finally {
            close(rbd, clone);
        }
    }

    private void unprotectIfUnused(RbdImage source, String parent, String snapshot) {
        try {
            if (source.listChildren(snapshot).isEmpty()) {
                source.snapUnprotect(snapshot);
            }
        } catch (RbdException e) {
            LOG.warn("Snapshot {}/{}@{} stays protected: {}", session.pool().cephPool(), parent, snapshot,
                    CephErrors.describe(e.getReturnValue()));
        }
    }

    public boolean exists(String name) throws CephException {
        return info(name).isPresent();
    }

    /** Size, format and features; empty when there is no such image. */
    public Optional<RbdImageInfo> info(String name) throws CephException {
        return readOnly(name, image -> describe(name, image));
    }

    @FunctionalInterface
    private interface ImageRead<T> {
        T apply(RbdImage image) throws CephException;
    }

    /** What {@code read} makes of the image opened read-only; empty when there is no such image. */
    private <T> Optional<T> readOnly(String name, ImageRead<T> read) throws CephException {
        checkName(name);
        Rbd rbd = rbd();
        RbdImage image;
        try {
            image = rbd.openReadOnly(name);
        } catch (RbdException e) {
            if (Math.abs(e.getReturnValue()) == CephErrors.ENOENT) {
                return Optional.empty();
            }
            throw failure("cannot open the image", name, e);
        }
        try {
            return Optional.of(read.apply(image));
        } finally {
            close(rbd, image);
        }
    }

    /**
     * Grows the image to {@code newSizeBytes}; the same size is a no-op. Shrinking is refused: it
     * would cut off data the guest may still use.
     */
    public RbdImageInfo resize(String name, long newSizeBytes) throws CephException {
        checkName(name);
        Rbd rbd = rbd();
        RbdImage image = open(rbd, name, "cannot open the image to resize it");
        try {
            long current = image.stat().size;
            if (newSizeBytes < current) {
                throw new CephException("refusing to shrink image " + name + " from " + current + " to "
                        + newSizeBytes + " bytes: images only grow", -CephErrors.EINVAL);
            }
            if (newSizeBytes > current) {
                image.resize(newSizeBytes);
                LOG.info("Grew RBD image {}/{} from {} to {} bytes", session.pool().cephPool(), name, current,
                        newSizeBytes);
            }
            return describe(name, image);
        } catch (RbdException e) {
            throw failure("cannot resize the image", name, e);
        } finally {
            close(rbd, image);
        }
    }

    /**
     * Deletes the image and its snapshots now; false when there was no such image. An image in a group leaves
     * it first; one that a group snapshot still holds is refused (see {@link RbdImageGroup#release}), and so is
     * one a client still has open (EBUSY, at once: {@link ImageWatchers}).
     */
    public boolean delete(String name) throws CephException {
        checkName(name);
        long start = System.nanoTime();
        BeforeDelete found = checkBeforeDelete(name);
        if (found == BeforeDelete.NO_IMAGE) {
            return false;
        }
        long checked = System.nanoTime();
        if (found == BeforeDelete.TIED && (!RbdImageGroup.release(session, name) || !removeSnapshots(name))) {
            return false;
        }
        long released = System.nanoTime();
        try {
            rbd().remove(name);
        } catch (RbdException e) {
            if (Math.abs(e.getReturnValue()) == CephErrors.ENOENT) {
                return false;
            }
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.EBUSY
                    ? "cannot delete the image: a client still has it open" : "cannot delete the image", name, e);
        }
        long end = System.nanoTime();
        LOG.info("Deleted RBD image {}/{} in {} ms ({} ms checking it, {} ms for its snapshots and group, {} ms"
                + " removing it)", session.pool().cephPool(), name, (end - start) / 1_000_000,
                (checked - start) / 1_000_000, (released - checked) / 1_000_000, (end - released) / 1_000_000);
        return true;
    }

    /** What a delete found before it removes anything. */
    private enum BeforeDelete {
        /** There is no such image. */
        NO_IMAGE,
        /** Neither snapshots (of any namespace) nor a group: only its removal is left. */
        BARE,
        /** Snapshots or a group to deal with first. */
        TIED
    }

    /**
     * One read-only open before a delete (each open is several round trips to the OSD, which queue behind any
     * transfer's): refused while a client has the image open (EBUSY, naming it); otherwise what is left to do.
     */
    private BeforeDelete checkBeforeDelete(String name) throws CephException {
        return readOnly(name, image -> { // holds no watch: only other clients' are listed
            ImageWatchers.requireNone(session, image, "cannot delete the image");
            try {
                return image.snapList().isEmpty() && !RbdImageGroup.linkOf(session, image).linked()
                        ? BeforeDelete.BARE : BeforeDelete.TIED;
            } catch (RbdException e) {
                throw failure("cannot list the snapshots of the image", name, e);
            }
        }).orElse(BeforeDelete.NO_IMAGE);
    }

    /**
     * Deletes the image's snapshots, then moves it to the RBD trash, where it cannot be removed
     * before {@code deferSeconds} have passed. The snapshots go first because a trashed image with
     * snapshots can never be purged ("image has snapshots"). Ceph purges nothing by itself: an
     * {@code rbd trash purge schedule} (mgr rbd_support) or the management server must. False when
     * there was no such image. Groups as for {@link #delete}: a trashed image still in a group could never be purged.
     */
    public boolean moveToTrash(String name, long deferSeconds) throws CephException {
        checkName(name);
        if (deferSeconds < 0) {
            throw new CephException("deferSeconds must not be negative", -CephErrors.EINVAL);
        }
        // rbd_trash_move would wait for a killed client's watch to time out (27 s measured), then go ahead.
        ImageWatchers.requireNone(session, name, "cannot move the image to the trash");
        if (!RbdImageGroup.release(session, name) || !removeSnapshots(name)) {
            return false;
        }
        int rc = LibRbd.INSTANCE.rbd_trash_move(session.ioCtx().getPointer(), name, deferSeconds);
        if (rc == -CephErrors.ENOENT) {
            return false;
        }
        if (rc < 0) {
            throw new CephException("cannot move image " + name + " in pool " + session.pool().cephPool()
                    + " to the trash: " + CephErrors.describe(rc), rc);
        }
        LOG.info("Moved RBD image {}/{} to the trash, to be purged after {} s", session.pool().cephPool(), name,
                deferSeconds);
        return true;
    }

    /** False when there is no such image. Protected snapshots are unprotected first. */
    private boolean removeSnapshots(String name) throws CephException {
        Rbd rbd = rbd();
        RbdImage image;
        try {
            image = rbd.open(name);
        } catch (RbdException e) {
            if (Math.abs(e.getReturnValue()) == CephErrors.ENOENT) {
                return false;
            }
            throw failure("cannot open the image", name, e);
        }
        try {
            List<RbdSnapInfo> all = image.snapList();
            refuseIfCloned(image, name, all);
            for (RbdSnapInfo snapshot : all) {
                String what = "snapshot " + snapshot.name + " of image";
                try {
                    if (image.snapIsProtected(snapshot.name)) {
                        image.snapUnprotect(snapshot.name);
                    }
                    image.snapRemove(snapshot.name);
                } catch (RbdException e) {
                    throw failure(Math.abs(e.getReturnValue()) == CephErrors.EBUSY
                            ? "cannot delete " + what + " (it has clones: flatten or delete them first)"
                            : "cannot delete " + what, name, e);
                }
                LOG.debug("Deleted snapshot {}@{}", name, snapshot.name);
            }
        } catch (RbdException e) {
            throw failure("cannot list the snapshots of the image", name, e);
        } finally {
            close(rbd, image);
        }
        return true;
    }

    /**
     * Checked before any snapshot is removed, so that an image whose snapshots have clones (in the trash too)
     * keeps all of them rather than losing those before the first one with clones.
     */
    private void refuseIfCloned(RbdImage image, String name, List<RbdSnapInfo> snapshots)
            throws RbdException, CephException {
        List<String> cloned = new ArrayList<>();
        for (RbdSnapInfo snapshot : snapshots) {
            if (image.snapIsProtected(snapshot.name)) {
                for (RbdChildren.Child child : RbdChildren.of(session, name, snapshot.name)) {
                    cloned.add(name + "@" + snapshot.name + " <- " + child.pool() + "/" + child.image()
                            + (child.inTrash() ? " (in the trash, id " + child.imageId() + ")" : ""));
                }
            }
        }
        if (!cloned.isEmpty()) {
            throw new CephException("cannot delete image " + session.pool().cephPool() + "/" + name + ": it has clones,"
                    + " which depend on its snapshots (" + String.join(", ", cloned) + "); flatten or delete them first",
                    -CephErrors.EBUSY);
        }
    }

    private RbdImageInfo describe(String name, RbdImage image) throws CephException {
        try {
            long size = image.stat().size;
            int format = image.isOldFormat() ? 1 : 2;
            LongByReference features = new LongByReference();
            int rc = LibRbd.INSTANCE.rbd_get_features(image.getPointer(), features);
            if (rc < 0) {
                throw new CephException("cannot read the features of image " + name + ": " + CephErrors.describe(rc), rc);
            }
            return new RbdImageInfo(name, size, format, features.getValue());
        } catch (RbdException e) {
            throw failure("cannot read the image", name, e);
        }
    }

    private RbdImage open(Rbd rbd, String name, String what) throws CephException {
        try {
            return rbd.open(name);
        } catch (RbdException e) {
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.ENOENT ? "no such image" : what, name, e);
        }
    }

    private Rbd rbd() throws CephException {
        return new Rbd(session.ioCtx());
    }

    private void close(Rbd rbd, RbdImage image) {
        try {
            rbd.close(image);
        } catch (RbdException e) {
            LOG.warn("Closing RBD image {} failed: {}", image.getName(), CephErrors.describe(e.getReturnValue()));
        }
    }

    private CephException failure(String what, String name, RbdException e) {
        return new CephException(what + ": " + session.pool().cephPool() + "/" + name + ": "
                + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
    }

    private static void checkName(String name) throws CephException {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("@")) {
            throw new CephException("not a valid RBD image name: '" + name + "'", -CephErrors.EINVAL);
        }
    }
}
