package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.ceph.rbd.jna.RbdSnapInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the RBD images of one session's pool: take, list, roll back to, delete. Taking and
 * deleting are idempotent, so a command retried after a lost answer does no harm.
 */
public final class RbdSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(RbdSnapshots.class);

    /** One snapshot of an image: its name and the image's size when it was taken. */
    public record Snapshot(String name, long sizeBytes) {
    }

    private final RadosSession session;

    public RbdSnapshots(RadosSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /** Takes snapshot {@code snapshot} of {@code image}; one of that name already there counts as taken. */
    public Snapshot create(String image, String snapshot) throws CephException {
        checkNames(image, snapshot);
        long start = System.nanoTime();
        return withImage(image, "cannot take a snapshot of the image", rbdImage -> {
            for (RbdSnapInfo existing : rbdImage.snapList()) {
                if (existing.name.equals(snapshot)) {
                    return new Snapshot(snapshot, existing.size);
                }
            }
            long opened = System.nanoTime();
            rbdImage.snapCreate(snapshot);
            // Timed: a snapshot's cost is mostly Ceph's (a self-managed snapshot id is a monitor commit).
            LOG.info("Took snapshot {}/{}@{} in {} ms ({} ms opening the image and listing its snapshots)",
                    session.pool().cephPool(), image, snapshot, (System.nanoTime() - start) / 1_000_000,
                    (opened - start) / 1_000_000);
            return find(rbdImage, snapshot);
        });
    }

    public List<Snapshot> list(String image) throws CephException {
        checkNames(image, "x");
        return withImage(image, "cannot list the snapshots of the image", rbdImage -> {
            List<Snapshot> snapshots = new ArrayList<>();
            for (RbdSnapInfo info : rbdImage.snapList()) {
                snapshots.add(new Snapshot(info.name, info.size));
            }
            return snapshots;
        });
    }

    /**
     * Rolls the image's content (and size) back to the snapshot. Every write since is lost; the
     * caller makes sure no guest has the image open.
     */
    public void rollback(String image, String snapshot) throws CephException {
        checkNames(image, snapshot);
        withImage(image, "cannot roll the image back to snapshot " + snapshot, rbdImage -> {
            find(rbdImage, snapshot);
            rbdImage.snapRollBack(snapshot);
            LOG.info("Rolled back {}/{} to snapshot {}", session.pool().cephPool(), image, snapshot);
            return null;
        });
    }

    /**
     * Deletes the snapshot (unprotecting it first); false when there was no such image or
     * snapshot. A snapshot with clones is refused (EBUSY) with a message saying so.
     */
    public boolean delete(String image, String snapshot) throws CephException {
        checkNames(image, snapshot);
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage rbdImage;
        try {
            rbdImage = rbd.open(image);
        } catch (RbdException e) {
            if (Math.abs(e.getReturnValue()) == CephErrors.ENOENT) {
                return false;
            }
            throw failure("cannot open the image", image, e);
        }
        try {
            if (rbdImage.snapList().stream().noneMatch(s -> s.name.equals(snapshot))) {
                return false;
            }
            if (rbdImage.snapIsProtected(snapshot)) {
                rbdImage.snapUnprotect(snapshot);
            }
            rbdImage.snapRemove(snapshot);
            LOG.info("Deleted snapshot {}/{}@{}", session.pool().cephPool(), image, snapshot);
            return true;
        } catch (RbdException e) {
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.EBUSY
                    ? "cannot delete snapshot " + snapshot + " (volumes were made from it and still depend on it)"
                    : "cannot delete snapshot " + snapshot, image, e);
        } finally {
            close(rbd, rbdImage);
        }
    }

    private Snapshot find(RbdImage image, String snapshot) throws RbdException, CephException {
        for (RbdSnapInfo info : image.snapList()) {
            if (info.name.equals(snapshot)) {
                return new Snapshot(info.name, info.size);
            }
        }
        throw new CephException("no snapshot " + snapshot + " of image " + session.pool().cephPool() + "/"
                + image.getName(), -CephErrors.ENOENT);
    }

    @FunctionalInterface
    private interface ImageWork<T> {
        T apply(RbdImage image) throws RbdException, CephException;
    }

    private <T> T withImage(String image, String what, ImageWork<T> work) throws CephException {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage rbdImage;
        try {
            rbdImage = rbd.open(image);
        } catch (RbdException e) {
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.ENOENT ? "no such image" : what, image, e);
        }
        try {
            return work.apply(rbdImage);
        } catch (RbdException e) {
            throw failure(what, image, e);
        } finally {
            close(rbd, rbdImage);
        }
    }

    private void close(Rbd rbd, RbdImage image) {
        try {
            rbd.close(image);
        } catch (RbdException e) {
            LOG.warn("Closing RBD image {} failed: {}", image.getName(), CephErrors.describe(e.getReturnValue()));
        }
    }

    private CephException failure(String what, String image, RbdException e) {
        return new CephException(what + ": " + session.pool().cephPool() + "/" + image + ": "
                + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
    }

    static void checkNames(String image, String snapshot) throws CephException {
        for (String name : new String[] {image, snapshot}) {
            if (name == null || name.isBlank() || name.contains("/") || name.contains("@")) {
                throw new CephException("not a valid RBD image or snapshot name: '" + name + "'", -CephErrors.EINVAL);
            }
        }
    }
}
