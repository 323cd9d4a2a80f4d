package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import io.rbdstack.agent.fixtures.CephFixture;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link ReadAhead} that fails while reads are in flight, on the real librbd: the failure reaches the
 * caller with its cause, the buffers go back to {@link TransferBuffers} only once librbd is done with
 * them, and nothing hangs. The image is read through a connection whose OSD replies librados itself
 * delays ({@code ms_inject_delay_*}, client side only), so reads are still in flight when the failure
 * comes; a buffer given back too early would then be written by librbd after a new owner filled it.
 */
class ReadAheadIT {

    private static final int MIB = 1 << 20;
    private static final int IMAGE_BYTES = 8 * MIB;
    private static final byte MARK = 0x5a;
    /** Every OSD reply is delayed by up to this much on the test's connection. */
    private static final double REPLY_DELAY_SECONDS = 0.3;

    private final CephFixture cluster = new CephFixture();
    private final String image = "readahead-it-" + UUID.randomUUID();
    private final TransferBuffers buffers = new TransferBuffers(6, MIB);
    private byte[] content;
    private Rados admin;
    private IoCTX adminIo;
    private Rados slow;
    private IoCTX slowIo;
    private RbdImage opened;

    private Rados connect(boolean delayedReplies) throws Exception {
        Rados rados = new Rados(cluster.ceph.admin().id());
        rados.confSet("mon_host", cluster.monitor().monHostEntry());
        rados.confSet("key", cluster.ceph.admin().key());
        rados.confSet("client_mount_timeout", "15");
        rados.confSet("rbd_cache", "false");
        if (delayedReplies) {
            // The OSDs' replies to this connection come late: librados' own fault injection, on this client only.
            rados.confSet("ms_inject_delay_type", "osd");
            rados.confSet("ms_inject_delay_max", Double.toString(REPLY_DELAY_SECONDS));
            rados.confSet("ms_inject_delay_probability", "1");
        }
        rados.connect();
        return rados;
    }

    @BeforeEach
    void slowImage() throws Exception {
        admin = connect(false);
        adminIo = admin.ioCtxCreate(cluster.ceph.pool());
        Rbd rbd = new Rbd(adminIo);
        rbd.create(image, IMAGE_BYTES);
        content = new byte[IMAGE_BYTES];
        new Random(3).nextBytes(content);
        RbdImage writable = rbd.open(image);
        try {
            writable.write(content, 0, content.length);
        } finally {
            rbd.close(writable);
        }
        slow = connect(true);
        slowIo = slow.ioCtxCreate(cluster.ceph.pool());
        opened = new Rbd(slowIo).openReadOnly(image);
    }

    @AfterEach
    void removeImage() throws Exception {
        try {
            if (opened != null) {
                new Rbd(slowIo).close(opened);
            }
            new Rbd(adminIo).remove(image);
        } finally {
            if (slow != null) {
                slow.ioCtxDestroy(slowIo);
                slow.shutDown();
            }
            admin.ioCtxDestroy(adminIo);
            admin.shutDown();
            cluster.close();
        }
    }

    private static List<ReadAhead.Range> wholeMebibytes(int from, int to) {
        List<ReadAhead.Range> ranges = new ArrayList<>();
        for (int m = from; m < to; m++) {
            ranges.add(new ReadAhead.Range((long) m * MIB, MIB));
        }
        return ranges;
    }

    @Test
    void aReadErrorAmongReadsInFlightFailsWithItsCauseAndGivesTheBuffersBackAfterLibrbd() {
        // Two good reads, one past the image's end (librbd refuses it), three more good ones behind it.
        List<ReadAhead.Range> ranges = new ArrayList<>(wholeMebibytes(0, 2));
        ranges.add(new ReadAhead.Range(4L * IMAGE_BYTES, MIB));
        ranges.addAll(wholeMebibytes(2, 5));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            CephException failure;
            try (ReadAhead reads = new ReadAhead(opened, "the test image", ranges, 4, 1, buffers)) {
                assertContent(0, reads.next());
                assertContent(1, reads.next());
                failure = assertThrows(CephException.class, reads::next);
                assertTrue(buffers.lent() > 0, "lent while reads are in flight");
            }
            assertTrue(failure.getMessage().startsWith("cannot read " + MIB + " bytes at " + 4L * IMAGE_BYTES
                    + " of the test image: "), failure.getMessage());
            assertTrue(failure.returnCode() < 0, "librbd's errno: " + failure.returnCode());
            assertEquals(0, buffers.lent(), "every buffer back after close");
            assertNoLateWrites();
        });
    }

    @Test
    void theCallerStoppingWithReadsInFlightGivesTheBuffersBackAfterLibrbd() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            long start = System.nanoTime();
            try (ReadAhead reads = new ReadAhead(opened, "the test image", wholeMebibytes(0, 8), 4, 1, buffers)) {
                assertContent(0, reads.next());
                // The caller fails here (its store refused a write, say): four reads are still in flight.
            }
            assertEquals(0, buffers.lent());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis >= 50, "the reads were slow enough to be in flight at the close: " + tookMillis + " ms");
            assertNoLateWrites();
        });
    }

    @Test
    void aReadAheadAfterAFailedOneReadsTheImageRight() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<ReadAhead.Range> failing = new ArrayList<>(wholeMebibytes(0, 1));
            failing.add(new ReadAhead.Range(4L * IMAGE_BYTES, MIB));
            failing.addAll(wholeMebibytes(1, 4));
            try (ReadAhead reads = new ReadAhead(opened, "the test image", failing, 4, 1, buffers)) {
                reads.next();
                assertThrows(CephException.class, reads::next);
            }
            try (ReadAhead reads = new ReadAhead(opened, "the test image", wholeMebibytes(0, 8), 4, 1, buffers)) {
                for (int m = 0; m < 8; m++) {
                    assertContent(m, reads.next());
                }
            }
            assertEquals(0, buffers.lent());
        });
    }

    /**
     * Takes every buffer the budget has made, marks them, and checks the marks a delayed reply later: a read
     * still in flight when its buffer went back would have overwritten one with the image's bytes.
     */
    private void assertNoLateWrites() throws Exception {
        try (TransferBuffers.Lease all = buffers.take(1, buffers.count())) {
            for (Memory buffer : all.buffers()) {
                buffer.setMemory(0, buffer.size(), MARK);
            }
            Thread.sleep((long) (REPLY_DELAY_SECONDS * 1000 * 2));
            byte[] expected = new byte[MIB];
            Arrays.fill(expected, MARK);
            for (Memory buffer : all.buffers()) {
                assertArrayEquals(expected, buffer.getByteArray(0, MIB), "a buffer librbd wrote into after it went back");
            }
        }
    }

    private void assertContent(int mebibyte, ByteBuffer read) {
        byte[] bytes = new byte[read.remaining()];
        read.get(bytes);
        assertArrayEquals(Arrays.copyOfRange(content, mebibyte * MIB, (mebibyte + 1) * MIB), bytes,
                "mebibyte " + mebibyte);
    }
}
