package io.rbdstack.agent.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.fixtures.FreezingTcpProxy;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.S3Fixture;
import io.rbdstack.agent.store.ImageStore;
import io.rbdstack.agent.store.ImageStores;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.spi.storage.StoreCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3 image store on the real Ceph RGW of scripts/rgw.sh, in a bucket of this test's own. */
class S3StoreIT {

    static S3Fixture rgw;

    @BeforeAll
    static void bucket() throws Exception {
        rgw = new S3Fixture("s3storeit");
    }

    @AfterAll
    static void deleteBucket() throws Exception {
        if (rgw != null) {
            rgw.close();
        }
    }

    @Test
    void aFileOfSeveralPartsIsWrittenReadBackAndDeleted() throws Exception {
        ImageStore store = ImageStores.open(rgw.url(), rgw.credentials);
        byte[] content = RbdData.bytes(2 * S3MultipartOutputStream.PART_BYTES + 12345, 1); // three parts
        ImageStore.Written<String> written = store.writeAtomically("snapshots/1/2/a.rbddiff", out -> {
            for (int i = 0; i < content.length; i += 100_000) { // in pieces, as the backup writes
                out.write(content, i, Math.min(100_000, content.length - i));
            }
            return "done";
        });
        assertEquals("done", written.value());
        assertEquals(content.length, written.sizeBytes());
        assertEquals(List.of("snapshots/1/2/a.rbddiff"), rgw.keys());
        assertTrue(store.buffersWrites(), "its parts buffer what it is given: a backup to it reads ahead less");
        assertEquals(content.length, store.size("snapshots/1/2/a.rbddiff"));
        try (InputStream in = store.openForReading("snapshots/1/2/a.rbddiff")) {
            assertArrayEquals(content, in.readAllBytes());
        }

        for (int i = 0; i < 20; i++) { // more than the pool's connections: each abandoned read gave its own back
            try (InputStream in = store.openForReading("snapshots/1/2/a.rbddiff")) {
                assertEquals(content[0] & 0xff, in.read(), "a restore that stops after one byte");
            }
        }

        assertTrue(store.delete("snapshots/1/2/a.rbddiff"));
        assertFalse(store.delete("snapshots/1/2/a.rbddiff"), "already gone");
        assertEquals(List.of(), rgw.keys());
        assertThrows(NoSuchFileException.class, () -> store.size("snapshots/1/2/a.rbddiff"));
        assertThrows(NoSuchFileException.class, () -> store.openForReading("snapshots/1/2/a.rbddiff"));
    }

    @Test
    void overHttpsAFileIsWrittenAndReadBackWhenTheEndpointsCertificateIsTrusted() throws Exception {
        S3Store store = S3Store.of(rgw.url(rgw.tlsEndpoint, true), rgw.credentials, Duration.ofSeconds(30),
                S3MultipartOutputStream.MAX_PARTS, rgw.testCaTrust());
        store.checkWritable();
        byte[] content = RbdData.bytes(S3MultipartOutputStream.PART_BYTES + 4321, 5); // two parts
        store.writeAtomically("https/a.rbddiff", out -> {
            out.write(content);
            return null;
        });
        assertEquals(List.of("https/a.rbddiff"), in("https", rgw.keys()));
        try (InputStream in = store.openForReading("https/a.rbddiff")) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertTrue(store.delete("https/a.rbddiff"));
        assertEquals(List.of(), in("https", rgw.keys()));

        // The certificate (for 127.0.0.1) is checked against the endpoint's name too, whoever is trusted.
        String byName = "localhost:" + rgw.tlsEndpoint.split(":")[1];
        S3Store misnamed = S3Store.of(rgw.url(byName, true), rgw.credentials, Duration.ofSeconds(30),
                S3MultipartOutputStream.MAX_PARTS, rgw.testCaTrust());
        IOException refused = assertThrows(IOException.class, misnamed::checkWritable);
        assertTrue(refused.getMessage().contains("localhost"), refused.getMessage());
    }

    @Test
    void overHttpsAnEndpointWhoseCertificateTheHostDoesNotTrustIsRefusedAndNothingIsWritten() throws Exception {
        // The agent's own path: the JVM's trusted certificates, which do not hold the harness's test CA.
        String url = rgw.url(rgw.tlsEndpoint, true);
        ImageStore store = ImageStores.open(url, rgw.credentials);
        IOException refused = assertThrows(IOException.class, () -> store.writeAtomically("untrusted/a.rbddiff",
                out -> {
                    out.write(new byte[] {1, 2, 3});
                    return null;
                }));
        assertTrue(refused.getMessage().contains(url) && refused.getMessage().contains("PKIX"), refused.getMessage());
        IOException probe = assertThrows(IOException.class, store::checkWritable);
        assertTrue(probe.getMessage().contains("PKIX"), probe.getMessage());
        assertEquals(List.of(), in("untrusted", rgw.allKeys()));
        assertEquals(List.of(), in("untrusted", rgw.openUploadKeys()));

        // Plain HTTP to the HTTPS port (usehttps=false) is no way around it.
        ImageStore plain = S3Store.of(rgw.url(rgw.tlsEndpoint, false), rgw.credentials, Duration.ofSeconds(5),
                S3MultipartOutputStream.MAX_PARTS, rgw.testCaTrust());
        assertThrows(IOException.class, plain::checkWritable);
    }

    /** The keys in {@code folder} (other tests' may still be elsewhere, e.g. the frozen endpoint's upload). */
    private static List<String> in(String folder, List<String> keys) {
        return keys.stream().filter(key -> key.startsWith(folder + "/")).toList();
    }

    /** The test bucket's store with uploads of two parts each: the third part starts a segment. */
    private static S3Store twoPartUploads() throws IOException {
        return S3Store.of(rgw.url(), rgw.credentials, Duration.ofSeconds(30), 2);
    }

    /** Writes {@code content} in pieces, half of them as native buffers (as a backup writes its reads). */
    private static void writeInPieces(OutputStream out, byte[] content) throws IOException {
        int piece = 3_000_001; // across part and segment boundaries
        for (int i = 0, n = 0; i < content.length; i += piece, n++) {
            int length = Math.min(piece, content.length - i);
            if (n % 2 == 0) {
                out.write(content, i, length);
            } else {
                ((WritableByteChannel) out).write(ByteBuffer.allocateDirect(length).put(content, i, length).flip());
            }
        }
    }

    @Test
    void aFileLongerThanOneUploadGoesOnInSegmentsIsReadBackAsOneAndDeletedWithThem() throws Exception {
        S3Store store = twoPartUploads();
        // A backup attempt's name (for the leftovers' clean-up), sorted before "even.rbddiff" in listings.
        String name = "0" + java.util.UUID.randomUUID().toString().substring(1) + ".1.rbddiff";
        String a = "seg1/" + name;
        // Two parts under the key, two in segment 1, one and 12,345 bytes in segment 2.
        byte[] content = RbdData.bytes(5 * S3MultipartOutputStream.PART_BYTES + 12345, 11);
        store.writeAtomically(a, out -> {
            writeInPieces(out, content);
            assertEquals(List.of(a + ".segment-1"), in("seg1", rgw.keys()), "segment 1 complete, the key not");
            return null;
        });
        assertEquals(List.of(a, a + ".segment-1", a + ".segment-2"),
                in("seg1", rgw.keys()));
        assertEquals(List.of(), in("seg1", rgw.openUploadKeys()));
        assertEquals(content.length, store.size(a));
        try (InputStream in = store.openForReading(a)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        try (InputStream in = store.openForReading(a)) {
            assertEquals(content[0] & 0xff, in.read(), "a restore that stops after one byte");
        }
        // Another attempt at the same snapshot's backup, not kept: it goes with its segment, the kept one's stay.
        String other = "seg1/" + name.replace(".1.rbddiff", ".2.rbddiff");
        store.writeAtomically(other, out -> {
            out.write(RbdData.bytes(3 * S3MultipartOutputStream.PART_BYTES, 15));
            return null;
        });
        assertEquals(5, in("seg1", rgw.keys()).size(), in("seg1", rgw.keys()).toString());
        assertEquals(2, store.deleteLeftovers("seg1", name.substring(0, 37), java.util.Set.of(name)));
        assertEquals(List.of(a, a + ".segment-1", a + ".segment-2"), in("seg1", rgw.keys()));

        // Ending at an upload's end: no empty segment after it.
        byte[] even = RbdData.bytes(4 * S3MultipartOutputStream.PART_BYTES, 12);
        store.writeAtomically("seg1/even.rbddiff", out -> {
            writeInPieces(out, even);
            return null;
        });
        assertEquals(List.of(a, a + ".segment-1", a + ".segment-2",
                "seg1/even.rbddiff", "seg1/even.rbddiff.segment-1"), in("seg1", rgw.keys()));
        try (InputStream in = store.openForReading("seg1/even.rbddiff")) {
            assertArrayEquals(even, in.readAllBytes());
        }

        assertTrue(store.delete(a));
        assertFalse(store.delete(a), "already gone, segments too");
        assertEquals(List.of("seg1/even.rbddiff", "seg1/even.rbddiff.segment-1"), in("seg1", rgw.keys()));
        assertTrue(store.delete("seg1/even.rbddiff"));
        assertEquals(List.of(), in("seg1", rgw.keys()));

        // Exactly one upload's worth: no segment, read and sized as it is.
        byte[] full = RbdData.bytes(2 * S3MultipartOutputStream.PART_BYTES, 16);
        store.writeAtomically("seg1/full.rbddiff", out -> {
            out.write(full);
            return null;
        });
        assertEquals(List.of("seg1/full.rbddiff"), in("seg1", rgw.keys()));
        assertEquals(full.length, store.size("seg1/full.rbddiff"));
        try (InputStream in = store.openForReading("seg1/full.rbddiff")) {
            assertArrayEquals(full, in.readAllBytes());
        }
        assertTrue(store.delete("seg1/full.rbddiff"));
        assertEquals(List.of(), in("seg1", rgw.keys()));
    }

    /** A file segmented by a build of 8 MiB parts: its key is one full upload of them. */
    @Test
    void aFileSegmentedWithTheEarlierPartSizeIsReadSizedAndDeletedWhole() throws Exception {
        S3Store store = twoPartUploads();
        byte[] head = RbdData.bytes(2 * S3Store.EARLIER_PART_BYTES, 31);
        byte[] tail = RbdData.bytes(12345, 32);
        rgw.put("earlier/a.rbddiff.segment-1", tail);
        rgw.put("earlier/a.rbddiff", head);
        try {
            assertEquals(head.length + tail.length, store.size("earlier/a.rbddiff"));
            byte[] whole = java.util.Arrays.copyOf(head, head.length + tail.length);
            System.arraycopy(tail, 0, whole, head.length, tail.length);
            try (InputStream in = store.openForReading("earlier/a.rbddiff")) {
                assertArrayEquals(whole, in.readAllBytes());
            }
            assertTrue(store.delete("earlier/a.rbddiff"));
            assertEquals(List.of(), in("earlier", rgw.keys()), "the key and its segment deleted");
        } finally {
            for (String key : in("earlier", rgw.keys())) {
                rgw.delete(key);
            }
        }
    }

    @Test
    void aFileMissingASegmentIsNotReadAsWhole() throws Exception {
        S3Store store = twoPartUploads();
        store.writeAtomically("seg2/gap.rbddiff", out -> {
            out.write(RbdData.bytes(5 * S3MultipartOutputStream.PART_BYTES, 14));
            return null;
        });
        rgw.delete("seg2/gap.rbddiff.segment-1");
        IOException missing = assertThrows(IOException.class, () -> store.openForReading("seg2/gap.rbddiff"));
        assertTrue(missing instanceof NoSuchFileException, "a loss, as a missing file: " + missing);
        assertTrue(missing.getMessage().contains("segment 1 of seg2/gap.rbddiff is missing"), missing.getMessage());
        assertThrows(IOException.class, () -> store.size("seg2/gap.rbddiff"));
        assertTrue(store.delete("seg2/gap.rbddiff"));
        assertEquals(List.of(), in("seg2", rgw.keys()));
    }

    @Test
    void aFailedSegmentedWriteLeavesNoObjectNoSegmentAndNoUpload() throws Exception {
        S3Store store = twoPartUploads();
        IOException failure = assertThrows(IOException.class, () -> store.writeAtomically("seg3/failed.rbddiff",
                out -> {
                    // Two parts under the key, two in each of segments 1 and 2 (complete), one in segment 3, a byte.
                    writeInPieces(out, RbdData.bytes(7 * S3MultipartOutputStream.PART_BYTES + 1, 13));
                    assertEquals(List.of("seg3/failed.rbddiff.segment-1", "seg3/failed.rbddiff.segment-2"),
                            in("seg3", rgw.keys()));
                    assertEquals(List.of("seg3/failed.rbddiff", "seg3/failed.rbddiff.segment-3"),
                            in("seg3", rgw.openUploadKeys()));
                    throw new IOException("the backup's source failed");
                }));
        assertTrue(failure.getMessage().contains("the backup's source failed"), failure.getMessage());
        assertEquals(List.of(), in("seg3", rgw.keys()));
        assertEquals(List.of(), in("seg3", rgw.openUploadKeys()));
    }

    @Test
    void theAgentsUploadsTogetherHoldNoMorePartBuffersThanItsBudget() throws Exception {
        S3Store store = twoPartUploads();
        int budget = PartBuffers.AGENT.available();
        assertEquals(4, budget, "the default budget, all free");
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(budget + 1);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(budget);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<?>> first = new java.util.ArrayList<>();
            for (int i = 0; i < budget; i++) { // each takes one buffer with its first byte and keeps it
                String name = "seg4/held-" + i + ".rbddiff";
                first.add(writers.submit(() -> store.writeAtomically(name, out -> {
                    out.write(1);
                    holding.countDown();
                    finish.await();
                    writeInPieces(out, RbdData.bytes(3 * S3MultipartOutputStream.PART_BYTES, 17));
                    return null;
                })));
            }
            assertTrue(holding.await(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, PartBuffers.AGENT.available(), "one buffer each, none left");
            java.util.concurrent.Future<?> waiting = writers.submit(() -> store.writeAtomically("seg4/waiting.rbddiff",
                    out -> {
                        out.write(2);
                        return null;
                    }));
            for (long end = System.nanoTime() + 10_000_000_000L; PartBuffers.AGENT.waiting()
                    < 1 && System.nanoTime() < end; ) {
                Thread.sleep(10);
            }
            assertEquals(1, PartBuffers.AGENT.waiting(), "a fifth upload waits for a buffer");
            assertFalse(waiting.isDone());
            finish.countDown(); // the four go on and end, the fifth takes a buffer one of them gives back
            for (java.util.concurrent.Future<?> f : first) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            waiting.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(budget, PartBuffers.AGENT.available(), "all given back");
            assertEquals(0, PartBuffers.AGENT.idle(), "and freed: no upload holds one");
            try (InputStream in = store.openForReading("seg4/held-0.rbddiff")) {
                byte[] read = in.readAllBytes();
                assertEquals(1 + 3 * S3MultipartOutputStream.PART_BYTES, read.length);
            }
        } finally {
            finish.countDown();
            writers.shutdownNow();
            for (String key : in("seg4", rgw.keys())) {
                rgw.delete(key);
            }
        }
    }

    /**
     * An upload holding three buffers gives two back, one per part it waits for, to two uploads waiting for their
     * first (a part that went back to the budget left the stream with no buffer to fill: a write failed on a null
     * one, seen with four concurrent backups). It goes on with the one it keeps; every file is whole.
     */
    @Test
    void anUploadGivingItsBuffersToWaitingUploadsGoesOnWithTheOneItKeeps() throws Exception {
        ImageStore store = ImageStores.open(rgw.url(), rgw.credentials);
        int part = S3MultipartOutputStream.PART_BYTES;
        assertEquals(4, PartBuffers.AGENT.available(), "the default budget, all free");
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.CountDownLatch threeHeld = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch oneHeld = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch othersWait = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        byte[] big = RbdData.bytes(4 * part + 4321, 23);
        try {
            java.util.concurrent.Future<?> giving = writers.submit(() -> store.writeAtomically("give/big.rbddiff",
                    out -> {
                        writeInPieces(out, java.util.Arrays.copyOf(big, 2 * part + 1)); // two parts sent, one filling
                        threeHeld.countDown();
                        othersWait.await();
                        writeInPieces(out, java.util.Arrays.copyOfRange(big, 2 * part + 1, big.length));
                        return null;
                    }));
            assertTrue(threeHeld.await(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, PartBuffers.AGENT.available(), "three taken by the first");
            java.util.concurrent.Future<?> holding = writers.submit(() -> store.writeAtomically("give/held.rbddiff",
                    out -> {
                        out.write(1);
                        oneHeld.countDown();
                        finish.await();
                        return null;
                    }));
            assertTrue(oneHeld.await(30, java.util.concurrent.TimeUnit.SECONDS));
            List<java.util.concurrent.Future<?>> waiting = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String name = "give/waiting-" + i + ".rbddiff";
                waiting.add(writers.submit(() -> store.writeAtomically(name, out -> {
                    out.write(2);
                    return null;
                })));
            }
            for (long end = System.nanoTime() + 10_000_000_000L; PartBuffers.AGENT.waiting()
                    < 2 && System.nanoTime() < end; ) {
                Thread.sleep(10);
            }
            assertEquals(2, PartBuffers.AGENT.waiting(), "two uploads wait for a buffer");
            othersWait.countDown(); // the first writes two parts more: each part it waits for goes to one of them
            for (java.util.concurrent.Future<?> f : waiting) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            giving.get(60, java.util.concurrent.TimeUnit.SECONDS);
            finish.countDown();
            holding.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(4, PartBuffers.AGENT.available(), "all given back");
            assertEquals(0, PartBuffers.AGENT.idle(), "and freed: no upload holds one");
            try (InputStream in = store.openForReading("give/big.rbddiff")) {
                assertArrayEquals(big, in.readAllBytes());
            }
        } finally {
            othersWait.countDown();
            finish.countDown();
            writers.shutdownNow();
            for (String key : in("give", rgw.keys())) {
                rgw.delete(key);
            }
        }
    }

    @Test
    void aWriteThatFailsLeavesNoObjectAndNoUpload() throws Exception {
        ImageStore store = ImageStores.open(rgw.url(), rgw.credentials);
        IOException failure = assertThrows(IOException.class, () -> store.writeAtomically("failed.rbddiff", out -> {
            out.write(RbdData.bytes(S3MultipartOutputStream.PART_BYTES + 1, 2)); // one part sent already
            throw new IOException("the source broke");
        }));
        assertTrue(failure.getMessage().contains("the source broke"), failure.getMessage());
        assertFalse(rgw.keys().contains("failed.rbddiff"), "nothing complete-looking");
        assertEquals(0, rgw.openUploads(), "the multipart upload was aborted");
    }

    @Test
    void aWritableBucketPassesTheTestAndPathsLeavingTheStoreAreRefused() throws Exception {
        ImageStore store = ImageStores.open(rgw.url(), rgw.credentials);
        store.checkWritable();
        assertFalse(rgw.allKeys().stream().anyMatch(k -> k.contains("probe")), "the probe is deleted");
        for (String bad : List.of("../x", "/abs", "a//b", "a/./b")) {
            assertThrows(IOException.class, () -> store.writeAtomically(bad, out -> null), bad);
        }
    }

    @Test
    void aMissingBucketOrAWrongKeyFailsNamingTheStoreAndNeverTheKey() throws Exception {
        String missing = new S3StoreUrl(rgw.endpoint, rgw.bucket + "-missing", false, rgw.region).url();
        IOException noBucket = assertThrows(IOException.class,
                () -> ImageStores.open(missing, rgw.credentials).checkWritable());
        assertTrue(noBucket.getMessage().contains(missing), noBucket.getMessage());

        Secret wrong = Secret.of("not-the-secret-key-of-this-user-0123456");
        IOException denied = assertThrows(IOException.class, () -> ImageStores.open(rgw.url(),
                new StoreCredentials(rgw.credentials.accessKey(), wrong)).checkWritable());
        assertTrue(denied.getMessage().contains(rgw.url()), denied.getMessage());
        assertFalse(denied.getMessage().contains(wrong.reveal()), denied.getMessage());

        IOException noKeys = assertThrows(IOException.class, () -> ImageStores.open(rgw.url(), null));
        assertTrue(noKeys.getMessage().contains("without its access and secret keys"), noKeys.getMessage());
    }

    @Test
    void anEndpointThatIsDownFailsInBoundedTimeNamingTheStore() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String down = new S3StoreUrl("127.0.0.1:" + closedPort, rgw.bucket, false, rgw.region).url();
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> ImageStores.open(down, rgw.credentials)
                .writeAtomically("x.rbddiff", out -> {
                    out.write(1);
                    return null;
                }));
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        assertTrue(e.getMessage().contains(down), e.getMessage());
        assertTrue(seconds < 30, "failed after " + seconds + " s");
    }

    @Test
    void anEndpointThatFreezesMidWriteFailsInBoundedTimeLeavesNoObjectAndARetrySucceeds() throws Exception {
        int rgwPort = Integer.parseInt(rgw.endpoint.substring(rgw.endpoint.lastIndexOf(':') + 1));
        try (FreezingTcpProxy proxy = new FreezingTcpProxy(rgwPort)) {
            String via = new S3StoreUrl("127.0.0.1:" + proxy.port(), rgw.bucket, false, rgw.region).url();
            ImageStore frozen = S3Store.of(via, rgw.credentials, Duration.ofSeconds(2));
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> frozen.writeAtomically("frozen.rbddiff", out -> {
                out.write(RbdData.bytes(S3MultipartOutputStream.PART_BYTES, 3)); // a part on its way
                proxy.freeze(); // RGW stops answering and reading, the connections stay up
                out.write(RbdData.bytes(2 * S3MultipartOutputStream.PART_BYTES, 4));
                return null;
            }));
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            assertTrue(e.getMessage().contains(via), e.getMessage());
            assertTrue(seconds < 45, "failed after " + seconds + " s");
        }
        assertEquals(4, PartBuffers.AGENT.available(), "the failed upload's buffers given back");
        assertEquals(0, PartBuffers.AGENT.idle(), "and freed");
        assertFalse(rgw.keys().contains("frozen.rbddiff"), "nothing complete-looking");

        ImageStore store = ImageStores.open(rgw.url(), rgw.credentials);
        store.writeAtomically("frozen.rbddiff", out -> {
            out.write(RbdData.bytes(S3MultipartOutputStream.PART_BYTES + 5, 5));
            return null;
        });
        assertEquals(S3MultipartOutputStream.PART_BYTES + 5, store.size("frozen.rbddiff"), "the retry");
        assertTrue(store.delete("frozen.rbddiff"));
    }
}
