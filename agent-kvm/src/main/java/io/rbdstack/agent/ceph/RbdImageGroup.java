package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Pointer;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The group the image is in (of this pool); empty when none. An image linked to a group that is gone leaves it
     * first ({@link #leaveGoneGroup}: nothing can use that group again, and its link would keep the image out of any
     * other). ENOENT when there is no image.
     */
    static Optional<String> groupForJoining(RadosSession session, String name) throws CephException {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage image = open(rbd, session, name);
        try {
            GroupLink link = linkOf(session, image);
            if (link.gone()) {
                leaveGoneGroup(session, image);
            }
            return link.name();
        } finally {
            close(rbd, image);
        }
    }

    /**
     * Prepares the image for its deletion: refused (EBUSY, naming them) while group snapshots hold a snapshot
     * of it; otherwise it leaves its group and its left-over snapshots of deleted group snapshots are removed,
     * also when the group itself is gone (its directory entry removed behind librbd's back): librbd can then
     * name neither, and its own calls to leave a group need the group's name. False when there is no such image.
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
                if (!member.groupGone() && member.groupPool() == session.ioCtx().getId()
                        && groups.listGroupSnapshots(member.group())
                        .stream().anyMatch(s -> s.name().equals(member.groupSnapshot()))) {
                    holding.add(member.group() + "@" + member.groupSnapshot());
                }
            }
            if (!holding.isEmpty()) {
                throw new CephException("cannot delete image " + session.pool().cephPool() + "/" + name
                        + ": group snapshot(s) " + String.join(", ", holding) + " (VM snapshots) still hold it;"
                        + " delete them first", -CephErrors.EBUSY);
            }
            GroupLink link = linkOf(session, image);
            if (link.name().isPresent()) {
                groups.removeImage(link.name().get(), name);
            } else if (link.gone()) {
                leaveGoneGroup(session, image);
            }
            for (ImageGroupSnapshots.Member orphan : members) {
                String of = orphan.groupGone() ? "a group snapshot of a group that is gone"
                        : "group snapshot " + orphan.group() + "@" + orphan.groupSnapshot();
                int rc = LibRbd.INSTANCE.rbd_snap_remove_by_id(image.getPointer(), orphan.snapshotId());
                if (rc < 0 && rc != -CephErrors.ENOENT) {
                    throw failure(session, "cannot delete its snapshot of " + of, name, rc, null);
                }
                LOG.info("Deleted snapshot {} of image {}/{}, left by {}", orphan.snapshotId(),
                        session.pool().cephPool(), name, of);
            }
            return true;
        } catch (RbdException e) {
            throw failure(session, "cannot list the snapshots of the image", name, e.getReturnValue(), e);
        } finally {
            close(rbd, image);
        }
    }

    /**
     * What an open image's header says of its group: none, one of this pool by name, or one that is {@code gone}
     * (its header links to a group whose directory entry no longer exists: librbd answers ENOENT for its name).
     */
    record GroupLink(Optional<String> name, boolean gone) {
        static final GroupLink NONE = new GroupLink(Optional.empty(), false);

        /** Whether the image is linked to a group at all (librbd refuses to remove it then: EMLINK). */
        boolean linked() {
            return gone || name.isPresent();
        }
    }

    static GroupLink linkOf(RadosSession session, RbdImage image) throws CephException {
        LibRbd.GroupInfo info = new LibRbd.GroupInfo();
        int rc = LibRbd.INSTANCE.rbd_get_group(image.getPointer(), info, info.size());
        if (rc == -CephErrors.ENOENT) {
            return new GroupLink(Optional.empty(), true);
        }
        if (rc < 0) {
            throw failure(session, "cannot read the group of the image", image.getName(), rc, null);
        }
        try {
            info.read();
            if (info.pool < 0) {
                return GroupLink.NONE;
            }
            if (info.pool != session.ioCtx().getId()) {
                throw failure(session, "the image is in group " + info.name + " of another pool (id " + info.pool
                        + "), which rbdstack does not manage", image.getName(), -CephErrors.EINVAL, null);
            }
            return new GroupLink(Optional.of(info.name), false);
        } finally {
            info.setAutoWrite(false);
            LibRbd.INSTANCE.rbd_group_info_cleanup(info, info.size());
        }
    }

    /**
     * Drops the image's link to a group that is gone, through the object class methods librbd's own group calls
     * use on the image's header: {@code image_group_get} reads the link as stored now (the open image's copy may be
     * stale: another client may have dropped it and joined the image to another group meanwhile), the group's
     * directory is asked for that link's group ({@code dir_get_name}: only ENOENT, no such group, lets the link go),
     * and {@code image_group_remove} removes it (with the header's group operation feature) only if it is still
     * exactly that link (EBADF otherwise). A link already gone is left so. Other clients that have the image open
     * are not notified (librbd's header-update message is its own encoding); they read the header again at their
     * next refresh, and a stale copy leads here again, to the header as it is.
     */
    static void leaveGoneGroup(RadosSession session, RbdImage image) throws CephException {
        String header = "rbd_header." + imageId(session, image);
        Pointer ioCtx = session.ioCtx().getPointer();
        byte[] out = new byte[4096]; // an encoded group spec: a pool id and a group id, ~30 bytes
        int length = LibRados.INSTANCE.rados_exec(ioCtx, header, "rbd", "image_group_get", new byte[0], 0, out,
                out.length);
        if (length < 0) {
            throw failure(session, "cannot read the image's link to its group", image.getName(), length, null);
        }
        StoredGroupLink link = StoredGroupLink.decode(Arrays.copyOf(out, length));
        if (link.pool() < 0 || link.groupId().isEmpty()) {
            return; // another client dropped it first
        }
        if (link.pool() != session.ioCtx().getId()) {
            throw failure(session, "the image is linked to group id " + link.groupId() + " of another pool (id "
                    + link.pool() + "), which rbdstack does not manage", image.getName(), -CephErrors.EINVAL, null);
        }
        int rc = LibRados.INSTANCE.rados_exec(ioCtx, "rbd_group_directory", "rbd", "dir_get_name",
                link.encodedGroupId(), link.encodedGroupId().length, out, out.length);
        if (rc != -CephErrors.ENOENT) {
            throw failure(session, rc < 0 ? "cannot look up the image's group id " + link.groupId()
                    : "the image's group changed meanwhile (now group id " + link.groupId() + "); try again",
                    image.getName(), rc < 0 ? rc : -CephErrors.EAGAIN, null);
        }
        rc = LibRados.INSTANCE.rados_exec(ioCtx, header, "rbd", "image_group_remove", link.encoded(),
                link.encoded().length, new byte[0], 0);
        if (rc == -CephErrors.ENOENT) {
            return; // dropped by another client meanwhile
        }
        if (rc < 0) {
            throw failure(session, rc == -CephErrors.EBADF ? "the image's group changed meanwhile; try again"
                    : "cannot drop the image's link to its group, which is gone", image.getName(), rc, null);
        }
        LOG.info("Image {}/{} left group id {}, which is gone (no entry in the pool's group directory)",
                session.pool().cephPool(), image.getName(), link.groupId());
    }

    /**
     * An image header's group link as cls_rbd encodes it ({@code cls::rbd::GroupSpec}: version 1, compat 1, a
     * length, the group's pool id, its id as a length-prefixed string); no link is pool -1 and an empty id.
     */
    record StoredGroupLink(long pool, String groupId, byte[] encoded, byte[] encodedGroupId) {

        static StoredGroupLink decode(byte[] encoded) throws CephException {
            try {
                ByteBuffer in = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
                in.get(); // struct version
                if (in.get() > 1) {
                    throw new CephException("a group link of a newer encoding than Ceph 16.2's", -CephErrors.EIO);
                }
                int length = in.getInt();
                if (length != in.remaining()) {
                    throw new CephException("a group link of " + encoded.length + " bytes, " + length
                            + " announced", -CephErrors.EIO);
                }
                long pool = in.getLong();
                int idStart = in.position();
                byte[] id = new byte[in.getInt()];
                in.get(id);
                return new StoredGroupLink(pool, new String(id, StandardCharsets.UTF_8), encoded,
                        Arrays.copyOfRange(encoded, idStart, in.position()));
            } catch (BufferUnderflowException | NegativeArraySizeException e) {
                throw new CephException("an unreadable group link of " + encoded.length + " bytes", -CephErrors.EIO,
                        e);
            }
        }
    }

    private static String imageId(RadosSession session, RbdImage image) throws CephException {
        byte[] id = new byte[128];
        int rc = LibRbd.INSTANCE.rbd_get_id(image.getPointer(), id, id.length);
        if (rc < 0) {
            throw failure(session, "cannot read the image's id", image.getName(), rc, null);
        }
        int end = 0;
        while (end < id.length && id[end] != 0) {
            end++;
        }
        return new String(id, 0, end, StandardCharsets.US_ASCII);
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
