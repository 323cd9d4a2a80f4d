package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The listing thread's hand-over: whole objects at a time, in order, its failure and its stop reaching the reader. */
class ExtentListingTest {

    private static final long OBJECT = 4 << 20;
    private static final int CHUNK = 4 << 20;

    @Test
    void anObjectsExtentsAreHandedOnOnceTheListingHasGonePastIt() throws Exception {
        CountDownLatch firstListed = new CountDownLatch(1);
        CountDownLatch nextObject = new CountDownLatch(1);
        CountDownLatch secondListed = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (ExtentListing listing = new ExtentListing("test", OBJECT, CHUNK, false, (sink, cancelled) -> {
            sink.invoke(0, 4096, 1, Pointer.NULL);
            sink.invoke(65536, 4096, 0, Pointer.NULL);
            firstListed.countDown();
            await(nextObject);
            sink.invoke(OBJECT + 8192, 100, 1, Pointer.NULL); // the second object: the first one's are handed on
            secondListed.countDown();
            await(done);
        })) {
            await(firstListed);
            assertNull(listing.listed(0), "the first object is still being listed");
            assertEquals(0, listing.extents());
            nextObject.countDown();
            assertEquals(new ExtentListing.Extent(0, 4096, true), listing.extent(0));
            assertEquals(new ExtentListing.Extent(65536, 4096, false), listing.extent(1));
            assertEquals(new ReadAhead.Range(0, 4096), listing.await(0));
            await(secondListed);
            assertNull(listing.listed(1), "zeroes are no range to read; the second object not handed on yet");
            assertEquals(-1, listing.dataBytesIfEnded(), "still listing");
            done.countDown();
            assertEquals(new ReadAhead.Range(OBJECT + 8192, 100), listing.await(1));
            assertNull(listing.await(2));
            assertNull(listing.extent(3));
            assertEquals(3, listing.extents());
            assertEquals(4196, listing.dataBytesIfEnded());
        }
    }

    @Test
    void aFullBackupsListingLeavesZeroesOutAndCutsDataIntoChunks() throws Exception {
        try (ExtentListing listing = new ExtentListing("test", 8L << 20, CHUNK, true, (sink, cancelled) -> {
            sink.invoke(0, 8 << 20, 1, Pointer.NULL);
            sink.invoke(8 << 20, 4096, 0, Pointer.NULL);
        })) {
            assertEquals(new ExtentListing.Extent(0, 8 << 20, true), listing.extent(0));
            assertNull(listing.extent(1));
            assertEquals(List.of(new ReadAhead.Range(0, CHUNK), new ReadAhead.Range(CHUNK, CHUNK)),
                    List.of(listing.await(0), listing.await(1)));
            assertNull(listing.await(2));
        }
    }

    @Test
    void aFailedListingFailsTheReaderOnceItHasReadWhatWasListed() throws Exception {
        try (ExtentListing listing = new ExtentListing("pool/image@s2", OBJECT, CHUNK, false, (sink, cancelled) -> {
            sink.invoke(0, 4096, 1, Pointer.NULL);
            sink.invoke(OBJECT, 4096, 1, Pointer.NULL);
            throw new CephException("cannot compute the changes of pool/image: ETIMEDOUT", -110);
        })) {
            assertEquals(new ExtentListing.Extent(0, 4096, true), listing.extent(0), "listed before it failed");
            CephException e = assertThrows(CephException.class, () -> listing.extent(1));
            assertEquals(-110, e.returnCode());
            assertTrue(e.getMessage().contains("ETIMEDOUT"), e.getMessage());
            assertThrows(CephException.class, () -> listing.await(1));
        }
    }

    @Test
    void anUnexpectedFailureOfTheListingReachesTheReaderAsAnIoErrorWithItsCause() {
        IllegalStateException cause = new IllegalStateException("a bug");
        try (ExtentListing listing = new ExtentListing("pool/image@s2", OBJECT, CHUNK, false, (sink, cancelled) -> {
            throw cause;
        })) {
            CephException e = assertThrows(CephException.class, () -> listing.extent(0));
            assertEquals(-CephErrors.EIO, e.returnCode());
            assertSame(cause, e.getCause().getCause(), "the listing's failure, wrapped for the reader's thread");
            assertTrue(e.getMessage().contains("pool/image@s2"), e.getMessage());
        }
    }

    @Test
    void aBackupsProgressCountsUpToTheImageSizeUntilTheListingHasEndedWell() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ExtentListing listing = new ExtentListing("test", OBJECT, CHUNK, false, (sink, cancelled) -> {
            sink.invoke(0, 4096, 1, Pointer.NULL);
            sink.invoke(OBJECT, 4096, 1, Pointer.NULL);
            await(done);
        })) {
            assertEquals(new ReadAhead.Range(0, 4096), listing.await(0));
            assertEquals(64 * OBJECT, RbdBackups.progressTotal(listing, 64 * OBJECT), "listing: the image's size");
            done.countDown();
            assertNull(listing.await(2));
            assertEquals(8192, RbdBackups.progressTotal(listing, 64 * OBJECT), "listed: its data bytes");
        }
        try (ExtentListing failed = new ExtentListing("test", OBJECT, CHUNK, false, (sink, cancelled) -> {
            sink.invoke(0, 4096, 1, Pointer.NULL);
            throw new CephException("lost", -110);
        })) {
            assertThrows(CephException.class, () -> failed.extent(1));
            assertEquals(64 * OBJECT, RbdBackups.progressTotal(failed, 64 * OBJECT),
                    "failed: never a total the bytes read reach, which would be the last report");
        }
    }

    @Test
    void closingStopsAListingStillRunningAndWaitsForIt() throws Exception {
        AtomicInteger lastAnswer = new AtomicInteger();
        AtomicBoolean sawCancelled = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        ExtentListing listing = new ExtentListing("test", OBJECT, CHUNK, false, (sink, cancelled) -> {
            started.countDown();
            try {
                for (long object = 0; ; object++) { // librbd stops at the callback's first negative answer
                    int answer = sink.invoke(object * OBJECT, 4096, 1, Pointer.NULL);
                    if (answer < 0) {
                        lastAnswer.set(answer);
                        sawCancelled.set(cancelled.getAsBoolean());
                        throw new CephException("stopped", answer);
                    }
                }
            } finally {
                ended.set(true);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        listing.close();
        assertTrue(ended.get(), "close waited for the listing to end");
        assertEquals(-CephErrors.ECANCELED, lastAnswer.get());
        assertTrue(sawCancelled.get(), "the lister is told too (the object-map pass checks it)");
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("rbd-diff-") && t.isAlive()), "its thread ended");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
