package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The digest behind a backup: the same bytes in the same order as one computed in line, and its failures. */
class HashBehindTest {

    @Test
    void copiedAndLentBytesHashInTheOrderFed() throws Exception {
        MessageDigest inLine = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        ByteBuffer[] lent = new ByteBuffer[40];
        try (HashBehind hash = new HashBehind(MessageDigest.getInstance("SHA-256"))) {
            for (int i = 0; i < lent.length; i++) {
                byte[] record = new byte[1 + random.nextInt(20_000)]; // past the gathering size now and then
                random.nextBytes(record);
                hash.update(record, 0, record.length);
                inLine.update(record);
                byte[] data = new byte[random.nextInt(300_000)];
                random.nextBytes(data);
                lent[i] = ByteBuffer.allocateDirect(data.length).put(data).flip();
                assertEquals(i + 1, hash.lend(lent[i]));
                assertEquals(0, lent[i].position(), "the caller's position is left as it is");
                inLine.update(data);
            }
            hash.awaitLent(lent.length);
            assertTrue(hash.hashed(lent.length));
            byte[] end = {'e'};
            hash.update(end, 0, 1);
            inLine.update(end);
            assertArrayEquals(inLine.digest(), hash.digest());
            assertThrows(IOException.class, () -> hash.update(end, 0, 1), "nothing counts after the digest");
        }
    }

    @Test
    void aFailingDigestFailsTheWaitsWithItsCause() throws Exception {
        IllegalStateException broken = new IllegalStateException("broken digest");
        HashBehind hash = new HashBehind(new FailingDigest(broken, 1000));
        hash.update(new byte[10], 0, 10);
        long ticket = hash.lend(ByteBuffer.allocateDirect(5000));
        IOException waited = assertThrows(IOException.class, () -> hash.awaitLent(ticket));
        assertSame(broken, waited.getCause());
        assertFalse(hash.hashed(ticket), "the buffer was never hashed");
        IOException lending = assertThrows(IOException.class, () -> hash.lend(ByteBuffer.allocateDirect(10)));
        assertSame(broken, lending.getCause());
        assertSame(broken, assertThrows(IOException.class, hash::digest).getCause());
        hash.close();
    }

    @Test
    void closeReturnsOnlyOnceNoLentBufferIsReadAnyMore() throws Exception {
        SlowDigest slow = new SlowDigest();
        HashBehind hash = new HashBehind(slow);
        hash.lend(ByteBuffer.allocateDirect(4096));
        hash.lend(ByteBuffer.allocateDirect(4096)); // queued behind the first: dropped by close
        assertTrue(slow.updating.await(10, TimeUnit.SECONDS));
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slow.release.countDown();
        });
        release.start();
        long start = System.nanoTime();
        hash.close();
        assertTrue(System.nanoTime() - start >= 150_000_000L, "close waited for the update in progress");
        assertFalse(slow.inUpdate, "no buffer is read after close");
        assertEquals(1, slow.updates, "the queued buffer was never read");
        assertThrows(IOException.class, () -> hash.awaitLent(2), "closed: the rest is never hashed");
        release.join();
    }

    /** Blocks in its first update until released, saying when it is inside one. */
    private static final class SlowDigest extends MessageDigest {
        final CountDownLatch updating = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean inUpdate;
        volatile int updates;

        SlowDigest() {
            super("slow");
        }

        @Override
        protected void engineUpdate(byte input) {
            engineUpdate(new byte[] {input}, 0, 1);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            inUpdate = true;
            updates++;
            updating.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inUpdate = false;
            }
        }

        @Override
        protected byte[] engineDigest() {
            return new byte[0];
        }

        @Override
        protected void engineReset() {
        }
    }
}
