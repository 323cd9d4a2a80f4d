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
        byte[] content = RbdData.bytes(2 * S3MultipartOutputStream.FIRST_PART_BYTES + 12345, 1); // three parts
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

    @Test
    void aWriteThatFailsLeavesNoObjectAndNoUpload() throws Exception {
        ImageStore store = ImageStores.open(rgw.url(), rgw.credentials);
        IOException failure = assertThrows(IOException.class, () -> store.writeAtomically("failed.rbddiff", out -> {
            out.write(RbdData.bytes(S3MultipartOutputStream.FIRST_PART_BYTES + 1, 2)); // one part sent already
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
                out.write(RbdData.bytes(S3MultipartOutputStream.FIRST_PART_BYTES, 3)); // a part on its way
                proxy.freeze(); // RGW stops answering and reading, the connections stay up
                out.write(RbdData.bytes(2 * S3MultipartOutputStream.FIRST_PART_BYTES, 4));
                return null;
            }));
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            assertTrue(e.getMessage().contains(via), e.getMessage());
            assertTrue(seconds < 45, "failed after " + seconds + " s");
        }
        assertFalse(rgw.keys().contains("frozen.rbddiff"), "nothing complete-looking");

        ImageStore store = ImageStores.open(rgw.url(), rgw.credentials);
        store.writeAtomically("frozen.rbddiff", out -> {
            out.write(RbdData.bytes(S3MultipartOutputStream.FIRST_PART_BYTES + 5, 5));
            return null;
        });
        assertEquals(S3MultipartOutputStream.FIRST_PART_BYTES + 5, store.size("frozen.rbddiff"), "the retry");
        assertTrue(store.delete("frozen.rbddiff"));
    }
}
