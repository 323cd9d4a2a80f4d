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
        final AtomicInteger gathered = new AtomicInteger();
        volatile IOException failWith;
        volatile CountDownLatch holdUntil;
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);
        volatile boolean ended;

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
            try {
                if (failWith != null) {
                    failed.countDown();
                    throw failWith;
                }
                file.force(metaData);
            } finally {
                ended = true;
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return file.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            gathered.incrementAndGet();
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
    void recordsAndDataGoOutTogetherPastTheThreshold() throws Exception {
        byte[] record = {'w', 1, 2, 3};
        byte[] data = new byte[300 * KIB];
        new Random(9).nextBytes(data);
        try (Syncs file = open("g"); SyncBehind syncing = new SyncBehind(file, 256 * KIB);
             ChannelOutput out = new ChannelOutput(syncing)) {
            for (int i = 0; i < 4; i++) {
                out.write(record); // gathered: it and the data go out in one writev
                out.write(ByteBuffer.allocateDirect(data.length).put(data).flip());
            }
            out.flush();
            syncing.finish();
            assertEquals(4, file.gathered.get(), "each record went out with its data, in one writev");
            assertTrue(syncing.syncsStarted() >= 1 && syncing.syncsStarted() <= 4, syncing.syncsStarted() + " syncs");
            assertEquals(syncing.syncsStarted(), file.forced.get());
        }
        byte[] written = Files.readAllBytes(dir.resolve("g"));
        assertEquals(4 * (record.length + data.length), written.length);
        for (int i = 0; i < 4; i++) {
            int at = i * (record.length + data.length);
            assertArrayEquals(record, java.util.Arrays.copyOfRange(written, at, at + record.length));
            assertArrayEquals(data, java.util.Arrays.copyOfRange(written, at + record.length, at + record.length
                    + data.length));
        }
    }

    @Test
    void aSyncThatFailedFailsTheFileWhetherTheNextWriteOrFinishMeetsIt() throws Exception {
        try (Syncs file = open("b"); SyncBehind syncing = new SyncBehind(file, 64 * KIB)) {
            file.failWith = new IOException("No space left on device");
            syncing.write(ByteBuffer.allocate(64 * KIB)); // starts a sync, which fails
            assertTrue(file.failed.await(10, TimeUnit.SECONDS));
            while (!file.ended) {
                Thread.onSpinWait();
            }
            IOException e = assertThrows(IOException.class, () -> syncing.write(ByteBuffer.allocate(64 * KIB)),
                    "the next write past the threshold meets it");
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
            java.util.concurrent.atomic.AtomicReference<Throwable> closeFailed = new java.util.concurrent.atomic
                    .AtomicReference<>();
            Thread closer = new Thread(() -> {
                try {
                    syncing.close();
                } catch (Throwable e) {
                    closeFailed.set(e);
                }
            });
            closer.start();
            while (closer.getState() != Thread.State.WAITING && closer.isAlive()) {
                Thread.onSpinWait(); // until close() waits for the held sync
            }
            assertTrue(closer.isAlive(), "close waits while the sync runs");
            assertFalse(file.ended);
            file.holdUntil.countDown();
            closer.join(10_000);
            assertFalse(closer.isAlive(), "and returns once it ended");
            assertTrue(file.ended, "after the sync ended");
            assertEquals(null, closeFailed.get());
            assertThrows(java.nio.channels.ClosedChannelException.class, () -> syncing.write(ByteBuffer.allocate(1)));
        }
    }
}
