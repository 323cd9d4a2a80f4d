package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RBD groups of one session's pool and their snapshots: a group snapshot is one snapshot of every image of
 * the group, taken by librbd while all of them are held still, so several volumes are captured at one
 * instant (a VM snapshot). The group and its images are in this pool. An image belongs to at most one group.
 */
public final class RbdGroups {

    private static final Logger LOG = LoggerFactory.getLogger(RbdGroups.class);

    /** A group snapshot; {@code complete} false when its creation did not finish (unusable, to be deleted). */
    public record GroupSnapshot(String name, boolean complete) {
    }

    /** One image's part of a group snapshot: its snapshot id on the image and the image's size then. */
    public record ImageSnapshot(String image, long snapshotId, long sizeBytes) {
    }

    /** A group snapshot with the image snapshots it is made of. */
    public record TakenGroupSnapshot(String group, String snapshot, List<ImageSnapshot> images) {
    }

    private final RadosSession session;

    public RbdGroups(RadosSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /**
     * Snapshots {@code images} together as {@code group@snapshot}: the group is created if missing and made to
     * hold exactly these images (images it holds besides are taken out, keeping their older group snapshots).
     * An image in another group is refused. A complete snapshot of that name counts as taken (a retry); an
     * incomplete one is deleted and taken again.
     */
    public TakenGroupSnapshot createGroupSnapshot(String group, List<String> images, String snapshot)
            throws CephException {
        checkName(group, "group");
        checkName(snapshot, "group snapshot");
        if (images == null || images.isEmpty()) {
            throw new CephException("a group snapshot needs at least one image", -CephErrors.EINVAL);
        }
        for (String image : images) {
            checkName(image, "image");
        }
        Set<String> wanted = new LinkedHashSet<>(images);
        ensureGroup(group);
        setImages(group, wanted);
        GroupSnapshot existing = listGroupSnapshots(group).stream().filter(s -> s.name().equals(snapshot))
                .findFirst().orElse(null);
        if (existing != null && !existing.complete()) {
            LOG.info("Group snapshot {}/{}@{} was left incomplete; taking it again", pool(), group, snapshot);
            deleteGroupSnapshot(group, snapshot);
            existing = null;
        }
        if (existing == null) {
            // Flags 0: librbd notifies its quiesce watchers (rbd-nbd), if any; guests are frozen by the VM code.
            int rc = LibRbd.INSTANCE.rbd_group_snap_create2(ioCtx(), group, snapshot, 0);
            if (rc < 0) {
                throw new CephException("cannot take group snapshot " + group + "@" + snapshot + " in pool " + pool()
                        + ": " + CephErrors.describe(rc), rc);
            }
            LOG.info("Took group snapshot {}/{}@{} of {}", pool(), group, snapshot, wanted);
        }
        return new TakenGroupSnapshot(group, snapshot, imageSnapshots(group, snapshot, wanted));
    }

    /** The group's snapshots, oldest first; empty when there is no such group. */
    public List<GroupSnapshot> listGroupSnapshots(String group) throws CephException {
        checkName(group, "group");
        long infoSize = new LibRbd.GroupSnapInfo().size(); // librbd checks it against its sizeof (ERANGE)
        Pointer ioCtx = ioCtx();
        return LibrbdLists.read(LibRbd.GroupSnapInfo::new,
                (first, count) -> LibRbd.INSTANCE.rbd_group_snap_list(ioCtx, group, first, infoSize, count),
                entry -> new GroupSnapshot(entry.name, entry.state == LibRbd.GroupSnapInfo.COMPLETE),
                (first, n) -> LibRbd.INSTANCE.rbd_group_snap_list_cleanup(first, infoSize, n),
                true, "the snapshots of group " + group + " in pool " + pool());
    }

    /** The names of the group's images; empty when there is no such group. */
    public List<String> images(String group) throws CephException {
        checkName(group, "group");
        long infoSize = new LibRbd.GroupImageInfo().size();
        Pointer ioCtx = ioCtx();
        long poolId = poolId();
        return LibrbdLists.read(LibRbd.GroupImageInfo::new,
                (first, count) -> LibRbd.INSTANCE.rbd_group_image_list(ioCtx, group, first, infoSize, count),
                entry -> {
                    if (entry.pool != poolId) {
                        LOG.warn("Group {}/{} holds image {} of pool id {}, which rbdstack did not put there", pool(),
                                group, entry.name, entry.pool);
                    }
                    return entry.name;
                },
                (first, n) -> LibRbd.INSTANCE.rbd_group_image_list_cleanup(first, infoSize, n),
                true, "the images of group " + group + " in pool " + pool());
    }

    /**
     * Puts every image of the group back to its state in {@code group@snapshot}. librbd takes each image's
     * exclusive lock for it, so an image a client (a running VM) has open and writes to is refused, before
     * anything is rolled back: the VM must be stopped first. {@code progress} gets librbd's progress.
     */
    public void rollbackGroupSnapshot(String group, String snapshot, ProgressReporter progress) throws CephException {
        checkName(group, "group");
        checkName(snapshot, "group snapshot");
        GroupSnapshot target = listGroupSnapshots(group).stream().filter(s -> s.name().equals(snapshot)).findFirst()
                .orElseThrow(() -> new CephException("no group snapshot " + group + "@" + snapshot + " in pool "
                        + pool(), -CephErrors.ENOENT));
        if (!target.complete()) {
            throw new CephException("group snapshot " + group + "@" + snapshot + " is incomplete and cannot be"
                    + " rolled back to", -CephErrors.EINVAL);
        }
        for (String image : images(group)) {
            List<String> owners = ImageLockOwners.of(session, image);
            if (!owners.isEmpty()) {
                throw inUse(group, snapshot, image, -CephErrors.EBUSY);
            }
        }
        LibRbd.ProgressCallback callback = (offset, total, arg) -> {
            progress.report(offset, total);
            return 0;
        };
        int rc = LibRbd.INSTANCE.rbd_group_snap_rollback_with_progress(ioCtx(), group, snapshot, callback,
                Pointer.NULL);
        java.lang.ref.Reference.reachabilityFence(callback);
        if (rc == -CephErrors.EBUSY || rc == -CephErrors.EROFS) {
            throw inUse(group, snapshot, null, rc);
        }
        if (rc < 0) {
            throw new CephException("cannot roll group " + group + " in pool " + pool() + " back to snapshot "
                    + snapshot + ": " + CephErrors.describe(rc), rc);
        }
        LOG.info("Rolled group {}/{} back to snapshot {}", pool(), group, snapshot);
    }

    /** Deletes the group snapshot and the image snapshots it is made of; false when there was none. */
    public boolean deleteGroupSnapshot(String group, String snapshot) throws CephException {
        checkName(group, "group");
        checkName(snapshot, "group snapshot");
        if (listGroupSnapshots(group).stream().noneMatch(s -> s.name().equals(snapshot))) {
            return false;
        }
        int rc = LibRbd.INSTANCE.rbd_group_snap_remove(ioCtx(), group, snapshot);
        if (rc == -CephErrors.ENOENT && listGroupSnapshots(group).stream().noneMatch(s -> s.name().equals(snapshot))) {
            return false; // deleted meanwhile
        }
        if (rc < 0) {
            throw new CephException("cannot delete group snapshot " + group + "@" + snapshot + " in pool " + pool()
                    + ": " + CephErrors.describe(rc)
                    + (rc == -CephErrors.ENOENT ? " (an image it was taken of no longer exists)" : ""), rc);
        }
        LOG.info("Deleted group snapshot {}/{}@{}", pool(), group, snapshot);
        return true;
    }

    /**
     * Deletes the group: its snapshots first, then its images leave it (they are kept), then the group goes.
     * False when there was no such group.
     */
    public boolean removeGroup(String group) throws CephException {
        checkName(group, "group");
        if (!exists(group)) {
            return false;
        }
        for (GroupSnapshot snapshot : listGroupSnapshots(group)) {
            deleteGroupSnapshot(group, snapshot.name());
        }
        for (String image : images(group)) {
            removeImage(group, image);
        }
        int rc = LibRbd.INSTANCE.rbd_group_remove(ioCtx(), group);
        if (rc == -CephErrors.ENOENT) {
            return false;
        }
        if (rc < 0) {
            throw new CephException("cannot delete group " + group + " in pool " + pool() + ": "
                    + CephErrors.describe(rc), rc);
        }
        LOG.info("Deleted group {}/{}", pool(), group);
        return true;
    }

    /** Whether the pool has a group of that name. */
    public boolean exists(String group) throws CephException {
        checkName(group, "group");
        return list().contains(group);
    }

    /** The names of the pool's groups. */
    public List<String> list() throws CephException {
        // librbd wants a buffer even for no groups; it says how big one must be (-ERANGE) when it is too small.
        LongByReference size = new LongByReference(4096);
        for (int attempt = 0; attempt < 5; attempt++) {
            byte[] names = new byte[(int) size.getValue()];
            int rc = LibRbd.INSTANCE.rbd_group_list(ioCtx(), names, size);
            if (rc >= 0) {
                return nulSeparated(names, names.length); // the rest of the buffer stays zeros
            }
            if (rc != -CephErrors.ERANGE) {
                throw new CephException("cannot list the groups of pool " + pool() + ": " + CephErrors.describe(rc),
                        rc);
            }
        }
        throw new CephException("cannot list the groups of pool " + pool() + ": it keeps changing",
                -CephErrors.ERANGE);
    }

    /** "a\0b\0" as [a, b]. */
    static List<String> nulSeparated(byte[] buffer, int length) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < Math.min(length, buffer.length); i++) {
            if (buffer[i] == 0) {
                if (i > start) {
                    names.add(new String(buffer, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    private void ensureGroup(String group) throws CephException {
        int rc = LibRbd.INSTANCE.rbd_group_create(ioCtx(), group);
        if (rc == 0) {
            LOG.info("Created group {}/{}", pool(), group);
        } else if (rc != -CephErrors.EEXIST) {
            throw new CephException("cannot create group " + group + " in pool " + pool() + ": "
                    + CephErrors.describe(rc), rc);
        }
    }

    private void setImages(String group, Set<String> wanted) throws CephException {
        List<String> current = images(group);
        for (String image : wanted) {
            if (current.contains(image)) {
                continue;
            }
            String other = RbdImageGroup.groupForJoining(session, image).orElse(null);
            if (other != null && !other.equals(group)) {
                throw new CephException("image " + pool() + "/" + image + " already belongs to group " + other
                        + " (an image can be in one group only)", -CephErrors.EEXIST);
            }
            int rc = LibRbd.INSTANCE.rbd_group_image_add(ioCtx(), group, ioCtx(), image);
            if (rc < 0) {
                throw new CephException("cannot add image " + image + " to group " + group + " in pool " + pool()
                        + ": " + CephErrors.describe(rc), rc);
            }
        }
        for (String image : current) {
            if (!wanted.contains(image)) {
                removeImage(group, image);
            }
        }
    }

    /** Takes the image out of the group; its snapshots of the group's snapshots stay until those are deleted. */
    void removeImage(String group, String image) throws CephException {
        int rc = LibRbd.INSTANCE.rbd_group_image_remove(ioCtx(), group, ioCtx(), image);
        if (rc < 0 && rc != -CephErrors.ENOENT) {
            throw new CephException("cannot take image " + image + " out of group " + group + " in pool " + pool()
                    + ": " + CephErrors.describe(rc), rc);
        }
        LOG.info("Took image {}/{} out of group {}", pool(), image, group);
    }

    private List<ImageSnapshot> imageSnapshots(String group, String snapshot, Set<String> images)
            throws CephException {
        List<ImageSnapshot> result = new ArrayList<>();
        long poolId = poolId();
        Rbd rbd = new Rbd(session.ioCtx());
        for (String name : images) {
            RbdImage image;
            try {
                image = rbd.openReadOnly(name);
            } catch (RbdException e) {
                throw new CephException("cannot open image " + pool() + "/" + name + ": "
                        + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
            }
            try {
                ImageGroupSnapshots.Member member = ImageGroupSnapshots.of(image).stream()
                        .filter(m -> m.groupPool() == poolId && group.equals(m.group())
                                && snapshot.equals(m.groupSnapshot()))
                        .findFirst().orElseThrow(() -> new CephException("image " + pool() + "/" + name
                                + " has no snapshot of group snapshot " + group + "@" + snapshot, -CephErrors.ENOENT));
                result.add(new ImageSnapshot(name, member.snapshotId(), member.sizeBytes()));
            } catch (RbdException e) {
                throw new CephException("cannot list the snapshots of image " + pool() + "/" + name + ": "
                        + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
            } finally {
                RbdImageGroup.close(rbd, image);
            }
        }
        return result;
    }

    private CephException inUse(String group, String snapshot, String image, int rc) {
        return new CephException("cannot roll group " + group + " back to snapshot " + snapshot + ": "
                + (image == null ? "an image of it" : "image " + pool() + "/" + image)
                + " is in use (a client, such as a running VM, holds its exclusive lock); stop the VM first ("
                + CephErrors.describe(rc) + ")", rc);
    }

    private Pointer ioCtx() throws CephException {
        return session.ioCtx().getPointer();
    }

    private long poolId() throws CephException {
        return session.ioCtx().getId();
    }

    private String pool() {
        return session.pool().cephPool();
    }

    static void checkName(String name, String what) throws CephException {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("@")) {
            throw new CephException("not a valid RBD " + what + " name: '" + name + "'", -CephErrors.EINVAL);
        }
    }
}
