package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written with syncs started behind its writes: the bytes land as written, and a sync's failure is not lost. */
class SyncBehindTest {

    private static final int KIB = 1 << 10;

    @TempDir
    Path dir;

    /** A real file whose syncs can be made to fail or to wait, counted. */
    private static final class Syncs extends FileChannel {
        private final FileChannel file;
        final AtomicInteger forced = new AtomicInteger();
        volatile IOException failWith;
        volatile CountDownLatch holdUntil;
        final CountDownLatch holding = new CountDownLatch(1);

        Syncs(FileChannel file) {
            this.file = file;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            forced.incrementAndGet();
            CountDownLatch hold = holdUntil;
            if (hold != null) {
                holding.countDown();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failWith != null) {
                throw failWith;
            }
            file.force(metaData);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return file.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return file.write(srcs, offset, length);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return file.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return file.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }

    private Syncs open(String name) throws IOException {
        return new Syncs(FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    @Test
    void syncsStartBehindTheWritesOneAtATimeAndTheBytesLandAsWritten() throws Exception {
        byte[] content = new byte[5 * 1024 * KIB + 123];
        new Random(7).nextBytes(content);
        try (Syncs file = open("a"); SyncBehind syncing = new SyncBehind(file, 1024 * KIB);
             OutputStream out = new ChannelOutput(syncing)) {
            for (int at = 0; at < content.length; at += 100 * KIB) {
                int n = Math.min(100 * KIB, content.length - at);
                ByteBuffer direct = ByteBuffer.allocateDirect(n).put(content, at, n).flip();
                ((WritableByteChannel) out).write(direct); // as a backup writes librbd's buffers
            }
            out.flush();
            syncing.finish();
            assertTrue(syncing.syncsStarted() >= 1 && syncing.syncsStarted() <= 5, syncing.syncsStarted() + " syncs");
            assertEquals(syncing.syncsStarted(), file.forced.get(), "each sync started ran, and none twice");
        }
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("a")));
    }

    @Test
    void aSyncThatFailedFailsTheFileWhetherTheNextWriteOrFinishMeetsIt() throws Exception {
        try (Syncs file = open("b"); SyncBehind syncing = new SyncBehind(file, 64 * KIB)) {
            file.failWith = new IOException("No space left on device");
            syncing.write(ByteBuffer.allocate(64 * KIB)); // starts a sync, which fails
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 1000; i++) { // the next write past the threshold, once the sync ended, meets it
                    syncing.write(ByteBuffer.allocate(64 * KIB));
                    Thread.sleep(1);
                }
            });
            assertEquals("cannot sync the file being written: No space left on device", e.getMessage());
        }
        try (Syncs file = open("c"); SyncBehind syncing = new SyncBehind(file, 64 * KIB)) {
            file.failWith = new IOException("Input/output error");
            syncing.write(ByteBuffer.allocate(64 * KIB));
            IOException e = assertThrows(IOException.class, syncing::finish);
            assertEquals("cannot sync the file being written: Input/output error", e.getMessage());
        }
    }

    @Test
    void closingWaitsForTheSyncUnderWay() throws Exception {
        try (Syncs file = open("d")) {
            file.holdUntil = new CountDownLatch(1);
            SyncBehind syncing = new SyncBehind(file, 64 * KIB);
            syncing.write(ByteBuffer.allocate(64 * KIB));
            assertTrue(file.holding.await(10, TimeUnit.SECONDS), "the sync started");
            Thread closer = new Thread(() -> {
                try {
                    syncing.close();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            closer.start();
            closer.join(200);
            assertTrue(closer.isAlive(), "close waits while the sync runs");
            file.holdUntil.countDown();
            closer.join(10_000);
            assertFalse(closer.isAlive(), "and returns once it ended");
        }
    }
}
