package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image's ties to groups, as a delete sees them. librbd refuses to remove an image that is in a group
 * (EMLINK) or has snapshots, and moves it to the trash regardless, where it then cannot be purged. And once
 * an image is gone, a group snapshot that has a snapshot of it can be neither rolled back to nor deleted
 * (Ceph 16.2 opens every image of it: ENOENT). So an image held by a group snapshot is kept until that goes.
 */
final class RbdImageGroup {

    private static final Logger LOG = LoggerFactory.getLogger(RbdImageGroup.class);

    private RbdImageGroup() {
    }

    /** The group the image is in (of this pool); empty when none. ENOENT when there is no image. */
    static Optional<String> of(RadosSession session, String name) throws CephException {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage image = open(rbd, session, name);
        try {
            return groupOf(session, image);
        } finally {
            close(rbd, image);
        }
    }

    /**
     * Prepares the image for its deletion: refused (EBUSY, naming them) while group snapshots hold a snapshot
     * of it; otherwise it leaves its group and its left-over snapshots of deleted group snapshots are removed.
     * False when there is no such image.
     */
    static boolean release(RadosSession session, String name) throws CephException {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage image;
        try {
            image = rbd.open(name);
        } catch (RbdException e) {
            if (Math.abs(e.getReturnValue()) == CephErrors.ENOENT) {
                return false;
            }
            throw failure(session, "cannot open the image", name, e.getReturnValue(), e);
        }
        try {
            RbdGroups groups = new RbdGroups(session);
            List<ImageGroupSnapshots.Member> members = ImageGroupSnapshots.of(image);
            List<String> holding = new ArrayList<>();
            for (ImageGroupSnapshots.Member member : members) {
                if (member.groupPool() == session.ioCtx().getId() && groups.listGroupSnapshots(member.group())
                        .stream().anyMatch(s -> s.name().equals(member.groupSnapshot()))) {
                    holding.add(member.group() + "@" + member.groupSnapshot());
                }
            }
            if (!holding.isEmpty()) {
                throw new CephException("cannot delete image " + session.pool().cephPool() + "/" + name
                        + ": group snapshot(s) " + String.join(", ", holding) + " (VM snapshots) still hold it;"
                        + " delete them first", -CephErrors.EBUSY);
            }
            Optional<String> group = groupOf(session, image);
            if (group.isPresent()) {
                groups.removeImage(group.get(), name);
            }
            for (ImageGroupSnapshots.Member orphan : members) {
                int rc = LibRbd.INSTANCE.rbd_snap_remove_by_id(image.getPointer(), orphan.snapshotId());
                if (rc < 0 && rc != -CephErrors.ENOENT) {
                    throw failure(session, "cannot delete its snapshot of group snapshot " + orphan.group() + "@"
                            + orphan.groupSnapshot(), name, rc, null);
                }
                LOG.info("Deleted snapshot {} of image {}/{}, left by group snapshot {}@{}", orphan.snapshotId(),
                        session.pool().cephPool(), name, orphan.group(), orphan.groupSnapshot());
            }
            return true;
        } catch (RbdException e) {
            throw failure(session, "cannot list the snapshots of the image", name, e.getReturnValue(), e);
        } finally {
            close(rbd, image);
        }
    }

    /** The group an open image is in (of this pool); empty when none. */
    static Optional<String> groupOf(RadosSession session, RbdImage image) throws CephException {
        LibRbd.GroupInfo info = new LibRbd.GroupInfo();
        int rc = LibRbd.INSTANCE.rbd_get_group(image.getPointer(), info, info.size());
        if (rc < 0) {
            throw failure(session, "cannot read the group of the image", image.getName(), rc, null);
        }
        try {
            info.read();
            if (info.pool < 0) {
                return Optional.empty();
            }
            if (info.pool != session.ioCtx().getId()) {
                throw failure(session, "the image is in group " + info.name + " of another pool (id " + info.pool
                        + "), which rbdstack does not manage", image.getName(), -CephErrors.EINVAL, null);
            }
            return Optional.of(info.name);
        } finally {
            info.setAutoWrite(false);
            LibRbd.INSTANCE.rbd_group_info_cleanup(info, info.size());
        }
    }

    private static RbdImage open(Rbd rbd, RadosSession session, String name) throws CephException {
        try {
            return rbd.open(name);
        } catch (RbdException e) {
            throw failure(session, Math.abs(e.getReturnValue()) == CephErrors.ENOENT ? "no such image"
                    : "cannot open the image", name, e.getReturnValue(), e);
        }
    }

    static void close(Rbd rbd, RbdImage image) {
        try {
            rbd.close(image);
        } catch (RbdException e) {
            LOG.warn("Closing RBD image {} failed: {}", image.getName(), CephErrors.describe(e.getReturnValue()));
        }
    }

    private static CephException failure(RadosSession session, String what, String name, int rc, Throwable cause) {
        return new CephException(what + ": " + session.pool().cephPool() + "/" + name + ": " + CephErrors.describe(rc),
                rc, cause);
    }
}
