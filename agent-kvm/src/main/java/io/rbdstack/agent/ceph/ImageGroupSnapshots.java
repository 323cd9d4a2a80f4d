package io.rbdstack.agent.ceph;

import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.ceph.rbd.jna.RbdSnapInfo;
import com.sun.jna.ptr.IntByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshots of one open image that belong to group snapshots. librbd lists them with the image's own
 * snapshots (named ".group.…", in the group namespace: {@code rbd snap ls --all}); they can be removed only
 * by id, and only the group snapshot's removal removes them otherwise.
 */
final class ImageGroupSnapshots {

    /**
     * One such snapshot: its id on the image, the image's size then, and the group snapshot it belongs to; {@code group}
     * and {@code groupSnapshot} are null when that group is gone (its directory entry removed behind librbd's back,
     * so librbd cannot name it: ENOENT).
     */
    record Member(long snapshotId, long sizeBytes, long groupPool, String group, String groupSnapshot) {

        boolean groupGone() {
            return group == null;
        }
    }

    private ImageGroupSnapshots() {
    }

    static List<Member> of(RbdImage image) throws RbdException, CephException {
        List<Member> members = new ArrayList<>();
        for (RbdSnapInfo snapshot : image.snapList()) {
            IntByReference type = new IntByReference();
            int rc = LibRbd.INSTANCE.rbd_snap_get_namespace_type(image.getPointer(), snapshot.id, type);
            if (rc < 0) {
                throw new CephException("cannot read the namespace of snapshot " + snapshot.name + " of image "
                        + image.getName() + ": " + CephErrors.describe(rc), rc);
            }
            if (type.getValue() != LibRbd.SNAP_NAMESPACE_GROUP) {
                continue;
            }
            LibRbd.SnapGroupNamespace namespace = new LibRbd.SnapGroupNamespace();
            rc = LibRbd.INSTANCE.rbd_snap_get_group_namespace(image.getPointer(), snapshot.id, namespace,
                    namespace.size());
            if (rc == -CephErrors.ENOENT) {
                members.add(new Member(snapshot.id, snapshot.size, -1, null, null));
                continue;
            }
            if (rc < 0) {
                throw new CephException("cannot read the group of snapshot " + snapshot.name + " of image "
                        + image.getName() + ": " + CephErrors.describe(rc), rc);
            }
            try {
                namespace.read();
                members.add(new Member(snapshot.id, snapshot.size, namespace.groupPool, namespace.groupName,
                        namespace.groupSnapName));
            } finally {
                namespace.setAutoWrite(false); // hand librbd back its own pointers, unchanged
                LibRbd.INSTANCE.rbd_snap_group_namespace_cleanup(namespace, namespace.size());
            }
        }
        return members;
    }
}
