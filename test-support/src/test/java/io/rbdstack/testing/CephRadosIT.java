package io.rbdstack.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Ceph cluster is real: rados-java talks cephx to it and RBD snapshots keep old data. */
class CephRadosIT {

    private static final long LAYERING = 1;
    private static final long SIZE = 8L << 20;

    private final RealServices.Ceph ceph = RealServices.load().ceph();

    /** Connects with the key set through the API (read from the keyring file, never argv). */
    private Rados connect(CephKeyring.CephUser user) throws RadosException {
        Rados rados = new Rados(user.id());
        rados.confSet("mon_host", ceph.monHost() + ":" + ceph.monV1Port());
        rados.confSet("key", user.key());
        rados.confSet("client_mount_timeout", "10");
        rados.confSet("rados_mon_op_timeout", "10");
        rados.confSet("rados_osd_op_timeout", "10");
        rados.connect();
        return rados;
    }

    @Test
    void snapshotKeepsTheDataWrittenBeforeIt() throws Exception {
        Rados rados = connect(ceph.admin());
        IoCTX io = rados.ioCtxCreate(ceph.pool());
        Rbd rbd = new Rbd(io);
        String image = "harness-" + UUID.randomUUID();
        byte[] before = "written before the snapshot".getBytes(StandardCharsets.UTF_8);
        byte[] after = "overwritten after the snapshot".getBytes(StandardCharsets.UTF_8);
        try {
            rbd.create(image, SIZE, LAYERING, 22);
            RbdImage rw = rbd.open(image);
            try {
                rw.write(before, 0);
                rw.snapCreate("s1");
                rw.write(after, 0);
            } finally {
                rbd.close(rw);
            }

            assertArrayEquals(before, read(rbd.openReadOnly(image, "s1"), rbd, before.length));
            assertArrayEquals(after, read(rbd.openReadOnly(image), rbd, after.length));

            RbdImage snapOwner = rbd.open(image);
            try {
                snapOwner.snapRemove("s1");
            } finally {
                rbd.close(snapOwner);
            }
        } finally {
            rbd.remove(image);
            assertFalse(Arrays.asList(rbd.list()).contains(image), "image removed");
            rados.ioCtxDestroy(io);
            rados.shutDown();
        }
    }

    @Test
    void poolLimitedUserCanUseRbdPoolOnly() throws Exception {
        Rados rados = connect(ceph.limitedUser());
        IoCTX io = rados.ioCtxCreate(ceph.pool());
        Rbd rbd = new Rbd(io);
        String image = "harness-limited-" + UUID.randomUUID();
        try {
            rbd.create(image, SIZE, LAYERING, 22);
            assertTrue(Arrays.asList(rbd.list()).contains(image));
            rbd.remove(image);
            // Its caps carry no mon write: creating a pool is refused by the cluster.
            assertThrows(RadosException.class, () -> rados.poolCreate("harness-not-allowed"));
        } finally {
            rados.ioCtxDestroy(io);
            rados.shutDown();
        }
    }

    @Test
    void wrongKeyIsRefusedByCephx() {
        CephKeyring.CephUser admin = ceph.admin();
        // Same length and alphabet as a real key, but not the cluster's.
        CephKeyring.CephUser forged = new CephKeyring.CephUser(admin.id(), "AQBUxJtlAAAAABAAx5ESM9mE6rdRvQpq0y5n1w==");
        assertThrows(RadosException.class, () -> connect(forged).shutDown());
    }

    private static byte[] read(RbdImage image, Rbd rbd, int length) throws RbdException {
        try {
            byte[] buffer = new byte[length];
            assertEquals(length, image.read(0, buffer, length));
            return buffer;
        } finally {
            rbd.close(image);
        }
    }
}
