package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.rbdstack.agent.fixtures.CephFixture;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's measurement: what queueing one asynchronous librbd read costs from Java, split into JNA's per-call
 * overhead (interface-mapped {@link LibRbd} against a direct-mapped binding, {@link Direct}) and librbd's own work,
 * with librbd's {@code rbd_non_blocking_aio} on (its default: requests go to a librbd thread) and off (the caller's
 * thread dispatches them), alone and beside busy threads. It prints the figures; it asserts only what holds
 * whatever they are: every read returns the bytes written.
 */
class RbdAioCallCostIT {

    private static final int KIB = 1 << 10;
    private static final int EXTENT = 64 * KIB;
    /** As many extents as an incremental of 5 % of a 1 GiB volume rewritten (~760 of 64 KiB). */
    private static final int EXTENTS = 768;
    /** Extents spread over the image (one every 256 KiB), as an incremental's are over a volume. */
    private static final int STRIDE = 256 * KIB;
    private static final int DEPTH = 32;
    private static final int CALLS = 100_000;
    private static final int PAIRS = 20_000;

    /** The hot asynchronous calls bound directly ({@link Native#register}): primitives and Pointers only. */
    static final class Direct {
        static {
            Native.register(Direct.class, NativeLibrary.getInstance("rbd"));
        }

        static native int rbd_aio_create_completion(Pointer callbackArg, Pointer callback, Pointer completionOut);

        static native int rbd_aio_read2(Pointer image, long offset, long length, Pointer buffer, Pointer completion,
                int opFlags);

        static native int rbd_aio_wait_for_complete(Pointer completion);

        static native long rbd_aio_get_return_value(Pointer completion);

        static native void rbd_aio_release(Pointer completion);

        private Direct() {
        }
    }

    private final CephFixture cluster = new CephFixture();
    private final String image = "aio-cost-it-" + UUID.randomUUID();
    private final List<Rados> connections = new ArrayList<>();
    private byte[][] written;
    private Rados admin;
    private IoCTX adminIo;

    private Rados connect(boolean nonBlockingAio) throws Exception {
        Rados rados = new Rados(cluster.ceph.admin().id());
        rados.confSet("mon_host", cluster.monitor().monHostEntry());
        rados.confSet("key", cluster.ceph.admin().key());
        rados.confSet("client_mount_timeout", "15");
        rados.confSet("rbd_cache", "false");
        rados.confSet("rbd_non_blocking_aio", Boolean.toString(nonBlockingAio));
        rados.connect();
        connections.add(rados);
        return rados;
    }

    @BeforeEach
    void spreadExtents() throws Exception {
        admin = connect(true);
        adminIo = admin.ioCtxCreate(cluster.ceph.pool());
        Rbd rbd = new Rbd(adminIo);
        rbd.create(image, (long) EXTENTS * STRIDE);
        written = new byte[EXTENTS][EXTENT];
        Random random = new Random(14);
        RbdImage writable = rbd.open(image);
        try {
            for (int i = 0; i < EXTENTS; i++) {
                random.nextBytes(written[i]);
                writable.write(written[i], (long) i * STRIDE, EXTENT);
            }
        } finally {
            rbd.close(writable);
        }
    }

    @AfterEach
    void removeImage() throws Exception {
        try {
            new Rbd(adminIo).remove(image);
        } finally {
            admin.ioCtxDestroy(adminIo);
            for (Rados rados : connections) {
                rados.shutDown();
            }
            cluster.close();
        }
    }

    private static void print(String what, long nanos, int calls) {
        System.out.printf("RbdAioCallCostIT: %-62s %8.2f µs per call (%d calls, %d ms)%n", what,
                nanos / 1000.0 / calls, calls, nanos / 1_000_000);
    }

    @Test
    void perCallOverheadOfInterfaceAndDirectMappedJna() {
        PointerByReference made = new PointerByReference();
        assertEquals(0, LibRbd.INSTANCE.rbd_aio_create_completion(Pointer.NULL, Pointer.NULL, made));
        Pointer completion = made.getValue();
        Memory slot = new Memory(Native.POINTER_SIZE);
        try {
            for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up; the last one counts
                long start = System.nanoTime();
                long sum = 0;
                for (int i = 0; i < CALLS; i++) {
                    sum += LibRbd.INSTANCE.rbd_aio_get_return_value(completion);
                }
                long iface = System.nanoTime() - start;
                start = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    sum += Direct.rbd_aio_get_return_value(completion);
                }
                long direct = System.nanoTime() - start;
                assertEquals(0, sum); // a fresh completion's return value
                start = System.nanoTime();
                for (int i = 0; i < PAIRS; i++) {
                    PointerByReference out = new PointerByReference();
                    LibRbd.INSTANCE.rbd_aio_create_completion(Pointer.NULL, Pointer.NULL, out);
                    LibRbd.INSTANCE.rbd_aio_release(out.getValue());
                }
                long ifacePairs = System.nanoTime() - start;
                start = System.nanoTime();
                for (int i = 0; i < PAIRS; i++) {
                    Direct.rbd_aio_create_completion(Pointer.NULL, Pointer.NULL, slot);
                    Direct.rbd_aio_release(slot.getPointer(0));
                }
                long directPairs = System.nanoTime() - start;
                if (round == 2) {
                    print("(a) rbd_aio_get_return_value, interface-mapped LibRbd", iface, CALLS);
                    print("(c) rbd_aio_get_return_value, direct-mapped", direct, CALLS);
                    print("(a) create_completion + release, interface-mapped LibRbd", ifacePairs, PAIRS);
                    print("(c) create_completion + release, direct-mapped, one slot", directPairs, PAIRS);
                }
            }
        } finally {
            LibRbd.INSTANCE.rbd_aio_release(completion);
        }
    }

    /** Queues every extent's read, {@link #DEPTH} at a time, timing the queueing calls only; checks the bytes. */
    private long queueReads(RbdImage opened, Memory buffers, boolean direct) {
        Memory slot = new Memory(Native.POINTER_SIZE);
        Pointer[] completions = new Pointer[DEPTH];
        long queueing = 0;
        for (int first = 0; first < EXTENTS; first += DEPTH) {
            int count = Math.min(DEPTH, EXTENTS - first);
            long start = System.nanoTime();
            for (int k = 0; k < count; k++) {
                long offset = (long) (first + k) * STRIDE;
                Pointer buffer = buffers.share((long) k * EXTENT, EXTENT);
                int rc;
                if (direct) {
                    Direct.rbd_aio_create_completion(Pointer.NULL, Pointer.NULL, slot);
                    completions[k] = slot.getPointer(0);
                    rc = Direct.rbd_aio_read2(opened.getPointer(), offset, EXTENT, buffer, completions[k],
                            LibRbd.FADVISE_NOCACHE);
                } else {
                    PointerByReference out = new PointerByReference();
                    LibRbd.INSTANCE.rbd_aio_create_completion(Pointer.NULL, Pointer.NULL, out);
                    completions[k] = out.getValue();
                    rc = LibRbd.INSTANCE.rbd_aio_read2(opened.getPointer(), offset, EXTENT, buffer, completions[k],
                            LibRbd.FADVISE_NOCACHE);
                }
                assertEquals(0, rc, "rbd_aio_read2 at " + offset);
            }
            queueing += System.nanoTime() - start;
            for (int k = 0; k < count; k++) {
                LibRbd.INSTANCE.rbd_aio_wait_for_complete(completions[k]);
                assertEquals(EXTENT, LibRbd.INSTANCE.rbd_aio_get_return_value(completions[k]));
                LibRbd.INSTANCE.rbd_aio_release(completions[k]);
                assertArrayEquals(written[first + k], buffers.getByteArray((long) k * EXTENT, EXTENT));
            }
        }
        return queueing;
    }

    @Test
    void costOfQueueing64KibReadsWithAndWithoutNonBlockingAio() throws Exception {
        Memory buffers = new Memory((long) DEPTH * EXTENT);
        for (boolean nonBlocking : new boolean[] {true, false}) {
            Rados rados = nonBlocking ? admin : connect(false);
            IoCTX io = rados.ioCtxCreate(cluster.ceph.pool());
            Rbd rbd = new Rbd(io);
            RbdImage opened = rbd.openReadOnly(image);
            try {
                for (int round = 0; round < 3; round++) {
                    for (boolean direct : new boolean[] {false, true}) {
                        long wallStart = System.nanoTime();
                        long queueing = queueReads(opened, buffers, direct);
                        long wall = System.nanoTime() - wallStart;
                        if (round > 0) { // round 0 warms up librbd's and the JIT's caches
                            String what = String.format("(%s) create_completion + aio_read 64 KiB, %s, non_blocking_aio=%s",
                                    direct ? "c" : "b", direct ? "direct" : "interface", nonBlocking);
                            print(what, queueing, EXTENTS);
                            System.out.printf("RbdAioCallCostIT:   wall time of the %d reads (queue + wait + check): %d ms%n",
                                    EXTENTS, wall / 1_000_000);
                        }
                    }
                }
            } finally {
                rbd.close(opened);
                rados.ioCtxDestroy(io);
            }
        }
    }

    /**
     * The same queueing while two other threads keep the CPUs busy hashing, as a backup's writer and digest threads
     * may: whether the agent's higher per-read figure is the call's own cost or the machine's other work.
     */
    @Test
    void costOfQueueing64KibReadsBesideTwoBusyThreads() throws Exception {
        Memory buffers = new Memory((long) DEPTH * EXTENT);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> busy = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] block = new byte[EXTENT];
                    while (!stop.get()) {
                        sha.update(block);
                    }
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }, "busy-" + t);
            thread.start();
            busy.add(thread);
        }
        IoCTX io = admin.ioCtxCreate(cluster.ceph.pool());
        Rbd rbd = new Rbd(io);
        RbdImage opened = rbd.openReadOnly(image);
        try {
            for (int round = 0; round < 3; round++) {
                for (boolean direct : new boolean[] {false, true}) {
                    long wallStart = System.nanoTime();
                    long queueing = queueReads(opened, buffers, direct);
                    long wall = System.nanoTime() - wallStart;
                    if (round > 0) {
                        print(String.format("(%s) create_completion + aio_read 64 KiB, %s, two busy threads",
                                direct ? "c" : "b", direct ? "direct" : "interface"), queueing, EXTENTS);
                        System.out.printf("RbdAioCallCostIT:   wall time of the %d reads (queue + wait + check): %d ms%n",
                                EXTENTS, wall / 1_000_000);
                    }
                }
            }
        } finally {
            stop.set(true);
            for (Thread thread : busy) {
                thread.join();
            }
            rbd.close(opened);
            admin.ioCtxDestroy(io);
        }
    }
}
