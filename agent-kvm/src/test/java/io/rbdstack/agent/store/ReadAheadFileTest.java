package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The read-ahead thread of a restore: order, hash, bounded memory, failures, and closing early. */
class ReadAheadFileTest {

    private static final int BUFFER = 64 << 10;
    private static final Duration NEVER_HANGS = Duration.ofSeconds(10);

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A source that records what it served, on which thread it was opened and closed, and fails when told. */
    private static final class Source extends FilterInputStream {
        final AtomicLong served = new AtomicLong();
        final Thread openedOn = Thread.currentThread();
        final AtomicReference<Thread> closedOn = new AtomicReference<>();
        private final long failAt;
        private final IOException failure;

        Source(byte[] bytes, long failAt, IOException failure) {
            super(new ByteArrayInputStream(bytes));
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = failAt - served.get();
            if (left <= 0) {
                throw failure;
            }
            // Odd-sized short reads, as a network store's.
            int n = super.read(b, off, (int) Math.min(Math.min(len, 10_007), left));
            if (n > 0) {
                served.addAndGet(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            closedOn.set(Thread.currentThread());
            super.close();
        }
    }

    private static Source[] opened(ReadAheadFile.Opener[] box, byte[] bytes, long failAt, IOException failure) {
        Source[] source = new Source[1];
        box[0] = () -> source[0] = new Source(bytes, failAt, failure);
        return source;
    }

    @Test
    void theReaderGetsEveryByteInOrderAndTheFilesSha256() throws Exception {
        byte[] bytes = random(5 * BUFFER + 123);
        ReadAheadFile.Opener[] opener = new ReadAheadFile.Opener[1];
        Source[] source = opened(opener, bytes, Long.MAX_VALUE, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReadAheadFile in = ReadAheadFile.open("test file", 3, BUFFER, opener[0])) {
            assertThrows(IllegalStateException.class, in::sha256, "no hash before the end");
            out.write(in.read()); // single bytes and reads of every size mixed
            byte[] chunk = new byte[BUFFER + 17];
            for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
                out.write(chunk, 0, n);
            }
            assertEquals(-1, in.read(), "the end stays the end");
            assertEquals(sha256(bytes), in.sha256());
            assertEquals(bytes.length, in.bytesRead());
        }
        assertArrayEquals(bytes, out.toByteArray());
        assertTrue(source[0].openedOn != Thread.currentThread(), "opened on the read-ahead thread");
        assertSame(source[0].openedOn, source[0].closedOn.get(), "closed on the thread that opened it");
    }

    @Test
    void anEmptyFileEndsAtOnceWithTheEmptyHash() throws Exception {
        ReadAheadFile.Opener[] opener = new ReadAheadFile.Opener[1];
        opened(opener, new byte[0], Long.MAX_VALUE, null);
        try (ReadAheadFile in = ReadAheadFile.open("empty", 2, BUFFER, opener[0])) {
            assertEquals(-1, in.read(new byte[10], 0, 10));
            assertEquals(sha256(new byte[0]), in.sha256());
        }
    }

    @Test
    void theThreadReadsNoFurtherAheadThanItsBuffers() throws Exception {
        byte[] bytes = random(20 * BUFFER);
        ReadAheadFile.Opener[] opener = new ReadAheadFile.Opener[1];
        Source[] source = opened(opener, bytes, Long.MAX_VALUE, null);
        try (ReadAheadFile in = ReadAheadFile.open("big file", 4, BUFFER, opener[0])) {
            long ahead = 4L * BUFFER;
            long deadline = System.nanoTime() + NEVER_HANGS.toNanos();
            while (source[0].served.get() < ahead && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(200); // time enough to read more, if it would
            assertEquals(ahead, source[0].served.get(), "four buffers read ahead, not more");
            in.readNBytes(BUFFER + 1); // into the second buffer: the first is free again, one more read
            deadline = System.nanoTime() + NEVER_HANGS.toNanos();
            while (source[0].served.get() < ahead + BUFFER && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            assertEquals(ahead + BUFFER, source[0].served.get());
        }
    }

    @Test
    void aReadFailingMidFileFailsTheReaderWithItsCauseAfterTheBytesBeforeItAndFreesEverything() {
        byte[] bytes = random(10 * BUFFER);
        SocketTimeoutException cause = new SocketTimeoutException("NFS read on nfs://x/export failed: timed out");
        ReadAheadFile.Opener[] opener = new ReadAheadFile.Opener[1];
        Source[] source = opened(opener, bytes, 3L * BUFFER + 5, cause);
        assertTimeoutPreemptively(NEVER_HANGS, () -> {
            ReadAheadFile in = ReadAheadFile.open("failing file", 2, BUFFER, opener[0]);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] chunk = new byte[7000];
            IOException failure = assertThrows(IOException.class, () -> {
                for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
                    got.write(chunk, 0, n);
                }
            });
            assertSame(cause, failure, "the store's own failure, type and message");
            assertArrayEquals(java.util.Arrays.copyOf(bytes, 3 * BUFFER), got.toByteArray(),
                    "every whole buffer read before the failure came first");
            assertSame(cause, assertThrows(IOException.class, () -> in.read(chunk, 0, 1)), "and stays failed");
            assertThrows(IllegalStateException.class, in::sha256, "a failed file has no hash");
            in.close();
            assertFalse(in.threadAlive(), "its thread has ended");
            assertEquals(0, in.buffersHeld(), "its buffers are dropped");
            assertSame(source[0].openedOn, source[0].closedOn.get(), "the file (its NFS context) closed on its thread");
            assertThrows(IOException.class, () -> in.read(chunk, 0, 1), "closed");
        });
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheOpenWithTheStoresException() {
        NoSuchFileException missing = new NoSuchFileException("snapshots/1/2/s.rbddiff");
        assertTimeoutPreemptively(NEVER_HANGS, () -> assertSame(missing, assertThrows(NoSuchFileException.class,
                () -> ReadAheadFile.open("missing", 2, BUFFER, () -> {
                    throw missing;
                }))));
    }

    @Test
    void aRuntimeFailureOfTheStoreIsAnIoExceptionWithItsCause() {
        IllegalStateException bug = new IllegalStateException("an NFS context is used by another thread");
        assertTimeoutPreemptively(NEVER_HANGS, () -> {
            try (ReadAheadFile in = ReadAheadFile.open("broken", 2, BUFFER, () -> new InputStream() {
                @Override
                public int read() {
                    throw bug;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    throw bug;
                }
            })) {
                IOException failure = assertThrows(IOException.class, in::read);
                assertSame(bug, failure.getCause());
                assertTrue(failure.getMessage().contains("broken") && failure.getMessage().contains("another thread"),
                        failure.getMessage());
            }
        });
    }

    @Test
    void aFailureToCloseTheFileAtItsEndFailsTheReader() {
        IOException closeFailure = new IOException("NFS close failed");
        assertTimeoutPreemptively(NEVER_HANGS, () -> {
            try (ReadAheadFile in = ReadAheadFile.open("unclosable", 2, BUFFER,
                    () -> new ByteArrayInputStream(random(BUFFER + 1)) {
                        @Override
                        public void close() throws IOException {
                            throw closeFailure;
                        }
                    })) {
                assertSame(closeFailure, assertThrows(IOException.class, () -> in.transferTo(
                        java.io.OutputStream.nullOutputStream())));
            }
        });
    }

    @Test
    void closingBeforeTheEndStopsTheThreadAndClosesTheFileOnIt() {
        byte[] bytes = random(50 * BUFFER);
        ReadAheadFile.Opener[] opener = new ReadAheadFile.Opener[1];
        Source[] source = opened(opener, bytes, Long.MAX_VALUE, null);
        assertTimeoutPreemptively(NEVER_HANGS, () -> {
            ReadAheadFile in = ReadAheadFile.open("abandoned", 3, BUFFER, opener[0]);
            in.readNBytes(BUFFER + 10); // a restore that failed on its writes stops reading here
            in.close();
            assertFalse(in.threadAlive());
            assertEquals(0, in.buffersHeld());
            assertSame(source[0].openedOn, source[0].closedOn.get());
            assertTrue(source[0].served.get() <= 5L * BUFFER, "stopped after " + source[0].served.get() + " bytes");
            in.close(); // twice is harmless
        });
    }

    /** A source whose reads block until released: a store's read stuck on the network. */
    private static final class StuckSource extends InputStream {
        final Thread openedOn = Thread.currentThread();
        final AtomicReference<Thread> closedOn = new AtomicReference<>();
        final CountDownLatch inRead = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            inRead.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new InterruptedIOException("test source interrupted");
            }
            return len;
        }

        @Override
        public void close() {
            closedOn.set(Thread.currentThread());
        }
    }

    @Test
    void closingWithTheInterruptSetWaitsForTheStuckReadThenTheThreadEndsAndClosesTheFileOnIt() {
        StuckSource[] source = new StuckSource[1];
        assertTimeoutPreemptively(NEVER_HANGS, () -> {
            ReadAheadFile in = ReadAheadFile.open("stuck", 2, BUFFER, () -> source[0] = new StuckSource());
            source[0].inRead.await();
            Thread releaser = new Thread(() -> {
                sleep(200);
                source[0].release.countDown();
            });
            releaser.start();
            // As a transfer interrupted when the agent loses its connection: the interrupt is set when it closes.
            Thread.currentThread().interrupt();
            in.close();
            assertTrue(Thread.interrupted(), "close() keeps the caller's interrupt");
            assertFalse(in.threadAlive());
            assertSame(source[0].openedOn, source[0].closedOn.get());
            assertEquals(0, in.buffersHeld());
            releaser.join();
        });
    }

    @Test
    void aReadOutlastingTheCloseWaitStillEndsTheThreadWhichClosesTheFileWhenTheReadReturns() {
        StuckSource[] source = new StuckSource[1];
        assertTimeoutPreemptively(NEVER_HANGS, () -> {
            ReadAheadFile in = ReadAheadFile.open("slow", 2, BUFFER, 100, () -> source[0] = new StuckSource());
            source[0].inRead.await();
            in.close();
            assertTrue(in.threadAlive(), "close() gave up waiting after 100 ms");
            assertNull(source[0].closedOn.get());
            source[0].release.countDown();
            while (in.threadAlive()) {
                sleep(10);
            }
            assertSame(source[0].openedOn, source[0].closedOn.get());
            assertEquals(0, in.buffersHeld());
        });
    }

    @Test
    void readingOneByteAtATimeGetsEveryByte() throws Exception {
        byte[] bytes = random(3 * BUFFER + 5);
        ReadAheadFile.Opener[] opener = new ReadAheadFile.Opener[1];
        opened(opener, bytes, Long.MAX_VALUE, null);
        try (ReadAheadFile in = ReadAheadFile.open("bytewise", 2, BUFFER, opener[0])) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) {
                out.write(b);
            }
            assertArrayEquals(bytes, out.toByteArray());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
