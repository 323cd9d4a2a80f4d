package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import java.util.List;

/**
 * The clones of a snapshot, those in the RBD trash included (rbd_list_children3). rados-java's
 * {@code listChildren} (the legacy call) leaves trashed clones out, yet they still pin the snapshot: it cannot
 * be unprotected (EBUSY) until they are purged or flattened.
 */
public final class RbdChildren {

    /** One clone: its pool, id (what the trash and an open by id take), name, and whether it is in the trash. */
    public record Child(String pool, String imageId, String image, boolean inTrash) {
    }

    private RbdChildren() {
    }

    /** The clones of {@code image@snapshot}; ENOENT when there is no such image or snapshot. */
    public static List<Child> of(RadosSession session, String image, String snapshot) throws CephException {
        RbdSnapshots.checkNames(image, snapshot);
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage parent;
        try {
            parent = rbd.openReadOnly(image, snapshot);
        } catch (RbdException e) {
            throw new CephException("cannot open " + session.pool().cephPool() + "/" + image + "@" + snapshot + ": "
                    + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
        }
        try {
            return list(parent, image + "@" + snapshot);
        } finally {
            RbdImageGroup.close(rbd, parent);
        }
    }

    private static List<Child> list(RbdImage parent, String what) throws CephException {
        return LibrbdLists.read(LibRbd.LinkedImageSpec::new,
                (first, count) -> LibRbd.INSTANCE.rbd_list_children3(parent.getPointer(), first, count),
                spec -> new Child(spec.poolName, spec.imageId, spec.imageName, spec.trash != 0),
                LibRbd.INSTANCE::rbd_linked_image_spec_list_cleanup, false, "the clones of " + what);
    }
}
