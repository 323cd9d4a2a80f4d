package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.ceph.RbdDiffStream;
import io.rbdstack.spi.agent.store.BackupDamage;
import io.rbdstack.spi.agent.store.BackupVerifiedAnswer;
import io.rbdstack.spi.agent.store.VerifyBackupCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verification of rbd diff backup files in a store directory: whole, and each kind of damage. */
class BackupVerifierTest {

    private static final String PATH = "snapshots/2/7/s2.rbddiff";

    @TempDir
    Path store;
    private byte[] written;
    private String sha256;

    @BeforeEach
    void writeIncrementalBackup() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RbdDiffStream.Writer writer = new RbdDiffStream.Writer(out);
        writer.fromSnapshot("s1");
        writer.toSnapshot("s2");
        writer.size(64L << 20);
        byte[] data = new byte[3 << 20]; // more than the verifier's buffer: chunked reads
        new Random(7).nextBytes(data);
        writer.write(4L << 20, data, data.length);
        writer.zero(32L << 20, 1 << 20);
        writer.end();
        written = out.toByteArray();
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written));
        Files.createDirectories(store.resolve(PATH).getParent());
        Files.write(store.resolve(PATH), written);
    }

    private BackupVerifiedAnswer verify(long size, String from, String to) {
        return BackupVerifier.verify(new VerifyBackupCommand(store.toUri().toString(), PATH, size, sha256, from, to));
    }

    private BackupVerifiedAnswer verify() {
        return verify(written.length, "s1", "s2");
    }

    @Test
    void aWholeBackupIsOkAndReadToItsEnd() {
        BackupVerifiedAnswer answer = verify();
        assertTrue(answer.success(), answer.details());
        assertNull(answer.damage(), answer.details());
        assertEquals(written.length, answer.bytesRead());
    }

    @Test
    void aMissingFileIsMissing() throws IOException {
        Files.delete(store.resolve(PATH));
        BackupVerifiedAnswer answer = verify();
        assertTrue(answer.success(), "the store was read: " + answer.details());
        assertEquals(BackupDamage.MISSING, answer.damage());
        assertTrue(answer.details().contains(PATH), answer.details());
    }

    @Test
    void aShorterFileIsTruncated() throws IOException {
        try (FileChannel file = FileChannel.open(store.resolve(PATH), StandardOpenOption.WRITE)) {
            file.truncate(written.length / 2);
        }
        BackupVerifiedAnswer answer = verify();
        assertEquals(BackupDamage.TRUNCATED, answer.damage());
        assertTrue(answer.details().contains((written.length / 2) + " bytes, it was written with " + written.length),
                answer.details());
    }

    @Test
    void aStreamEndingBeforeItsEndRecordIsTruncatedEvenAtItsRecordedSize() throws IOException {
        Files.write(store.resolve(PATH), java.util.Arrays.copyOf(written, written.length - 1));
        BackupVerifiedAnswer answer = verify(written.length - 1, "s1", "s2");
        assertEquals(BackupDamage.TRUNCATED, answer.damage());
        assertTrue(answer.details().contains("before its end record"), answer.details());
    }

    @Test
    void aFlippedDataByteIsAChecksumMismatch() throws IOException {
        flip(written.length / 2);
        BackupVerifiedAnswer answer = verify();
        assertTrue(answer.success());
        assertEquals(BackupDamage.CHECKSUM_MISMATCH, answer.damage());
        assertTrue(answer.details().contains("it was written with " + sha256), answer.details());
    }

    @Test
    void aFlippedHeaderByteIsMalformed() throws IOException {
        flip(0);
        assertEquals(BackupDamage.MALFORMED, verify().damage());
    }

    @Test
    void aDiffFromAnotherSnapshotThanItsParentIsAWrongParent() {
        BackupVerifiedAnswer fromElsewhere = verify(written.length, "s0", "s2");
        assertEquals(BackupDamage.WRONG_PARENT, fromElsewhere.damage());
        assertTrue(fromElsewhere.details().contains("goes from snapshot s1 to snapshot s2; its chain says from"
                + " snapshot s0"), fromElsewhere.details());
        assertEquals(BackupDamage.WRONG_PARENT, verify(written.length, null, "s2").damage(),
                "an incremental file where a full one belongs");
        assertEquals(BackupDamage.WRONG_PARENT, verify(written.length, "s1", "s3").damage(), "another snapshot's");
    }

    @Test
    void anUnreadableStoreIsAFailureNotADamage() {
        BackupVerifiedAnswer answer = BackupVerifier.verify(new VerifyBackupCommand(
                store.resolve("no-such-store").toUri().toString(), PATH, written.length, sha256, "s1", "s2"));
        assertFalse(answer.success());
        assertNull(answer.damage());
    }

    private void flip(int at) throws IOException {
        byte[] damaged = written.clone();
        damaged[at] ^= 0x01;
        Files.write(store.resolve(PATH), damaged);
    }
}
