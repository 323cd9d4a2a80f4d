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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

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

    /** The agent's client of the test bucket's store (shared by the agent's stores: not closed here). */
    private static S3Client client() throws Exception {
        return S3Clients.of(S3StoreUrl.parse(rgw.url()), rgw.credentials, Duration.ofSeconds(30));
    }

    /** The keys of these tests' streams (other tests' may still be there, e.g. the frozen endpoint's upload). */
    private static List<String> mine(List<String> keys) {
        return keys.stream().filter(key -> key.startsWith("segmented.") || key.startsWith("even.")
                || key.startsWith("aborted.")).toList();
    }

    /** A stream to {@code key} whose uploads take two parts of data each: the third starts a segment. */
    private static S3MultipartOutputStream twoPartUploads(S3Client s3, String key) {
        return new S3MultipartOutputStream(s3, rgw.bucket, key, Duration.ofSeconds(30), 2);
    }

    /** Writes {@code content} in pieces, half of them as native buffers (as a backup writes its reads). */
    private static void writeInPieces(S3MultipartOutputStream out, byte[] content) throws IOException {
        int piece = 3_000_001; // across part and segment boundaries
        for (int i = 0, n = 0; i < content.length; i += piece, n++) {
            int length = Math.min(piece, content.length - i);
            if (n % 2 == 0) {
                out.write(content, i, length);
            } else {
                ByteBuffer direct = ByteBuffer.allocateDirect(length).put(content, i, length).flip();
                out.write(direct);
            }
        }
    }

    @Test
    void aStreamLongerThanOneUploadGoesThroughSegmentsThatAreCopiedIntoTheKeyAndDeleted() throws Exception {
        S3Client s3 = client();
        // Two parts under the key, two in segment 1, one and a part of 12,345 bytes in segment 2.
        byte[] content = RbdData.bytes(5 * S3MultipartOutputStream.PART_BYTES + 12345, 11);
        S3MultipartOutputStream out = twoPartUploads(s3, "segmented.rbddiff");
        writeInPieces(out, content);
        assertEquals(List.of("segmented.rbddiff.segment-1"), mine(rgw.keys()), "segment 1 complete, nothing visible");
        out.complete();
        assertEquals(content.length, out.size());
        assertEquals(List.of("segmented.rbddiff"), mine(rgw.keys()), "the segments deleted");
        assertEquals(List.of(), mine(rgw.openUploadKeys()));
        assertArrayEquals(content, rgw.read("segmented.rbddiff"));

        // Ending at a segment's end: no empty segment after it.
        byte[] even = RbdData.bytes(4 * S3MultipartOutputStream.PART_BYTES, 12);
        S3MultipartOutputStream evenOut = twoPartUploads(s3, "even.rbddiff");
        writeInPieces(evenOut, even);
        evenOut.complete();
        assertEquals(List.of("even.rbddiff", "segmented.rbddiff"), mine(rgw.keys()));
        assertArrayEquals(even, rgw.read("even.rbddiff"));
        assertEquals(List.of(), mine(rgw.openUploadKeys()));
        s3.deleteObject(b -> b.bucket(rgw.bucket).key("segmented.rbddiff"));
        s3.deleteObject(b -> b.bucket(rgw.bucket).key("even.rbddiff"));
    }

    @Test
    void anAbortedSegmentedStreamLeavesNoObjectNoSegmentAndNoUpload() throws Exception {
        S3Client s3 = client();
        S3MultipartOutputStream out = twoPartUploads(s3, "aborted.rbddiff");
        // Two parts under the key, two in each of segments 1 and 2 (complete), one in segment 3 (open), a byte.
        writeInPieces(out, RbdData.bytes(7 * S3MultipartOutputStream.PART_BYTES + 1, 13));
        assertEquals(List.of("aborted.rbddiff.segment-1", "aborted.rbddiff.segment-2"), mine(rgw.keys()));
        assertEquals(List.of("aborted.rbddiff", "aborted.rbddiff.segment-3"), mine(rgw.openUploadKeys()));
        out.abort();
        assertEquals(List.of(), mine(rgw.keys()));
        assertEquals(List.of(), mine(rgw.openUploadKeys()));
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
