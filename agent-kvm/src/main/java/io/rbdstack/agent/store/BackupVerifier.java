package io.rbdstack.agent.store;

import io.rbdstack.agent.ceph.RbdDiffStream;
import io.rbdstack.spi.agent.store.BackupDamage;
import io.rbdstack.spi.agent.store.BackupVerifiedAnswer;
import io.rbdstack.spi.agent.store.VerifyBackupCommand;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * Verifies one backup file on any {@link ImageStore} (Proxmox Backup Server's verify, for rbd diff
 * files): re-reads it whole (read ahead and hashed on a thread of its own, {@link ReadAheadFile}),
 * parses its records without keeping them, and compares its size, its from-snapshot and to-snapshot
 * names and its SHA-256 with what was recorded when it was written. A store that cannot be read is a
 * failure, never a damage: only the file's own state marks a backup damaged.
 */
public final class BackupVerifier {

    /** Read buffer and largest record chunk: memory stays at about three times this, whatever the file's size. */
    static final int BUFFER = 1 << 20;
    /** Buffers read ahead: one being parsed while the next is read and hashed. */
    private static final int READ_AHEAD_BUFFERS = 2;

    private static final RbdDiffStream.Target DISCARD = new RbdDiffStream.Target() {
        @Override
        public void size(long bytes) {
        }

        @Override
        public void write(long offset, byte[] data, int length) {
        }

        @Override
        public void zero(long offset, long length) {
        }
    };

    private BackupVerifier() {
    }

    public static BackupVerifiedAnswer verify(VerifyBackupCommand command) {
        String path = command.path();
        try {
            ImageStore store = ImageStores.open(command.storeUrl(), command.credentials());
            long size;
            try {
                size = store.size(path);
            } catch (NoSuchFileException e) {
                // A store that keeps a file in pieces (S3's segments) names the piece that is gone.
                String piece = path.equals(e.getFile()) || e.getReason() == null ? "" : " (" + e.getReason() + ")";
                return BackupVerifiedAnswer.damaged(BackupDamage.MISSING, "backup " + path + " is missing from image"
                        + " store " + command.storeUrl() + piece, 0);
            }
            if (size < command.sizeBytes()) {
                return BackupVerifiedAnswer.damaged(BackupDamage.TRUNCATED, "backup " + path + " is truncated: "
                        + size + " bytes, it was written with " + command.sizeBytes(), 0);
            }
            return read(store, command, size);
        } catch (IOException | RuntimeException e) {
            return BackupVerifiedAnswer.failed("cannot verify backup " + path + ": " + e.getMessage());
        }
    }

    private static BackupVerifiedAnswer read(ImageStore store, VerifyBackupCommand command, long size)
            throws IOException {
        String path = command.path();
        // Read and hashed on a thread of its own while this one parses.
        ReadAheadFile file = ReadAheadFile.open(store, path, READ_AHEAD_BUFFERS, BUFFER);
        StoreStream counted = new StoreStream(file);
        try (InputStream in = counted) {
            RbdDiffStream.Summary summary;
            try {
                summary = RbdDiffStream.read(in, DISCARD, BUFFER);
            } catch (StoreReadException e) {
                throw e;
            } catch (EOFException e) {
                return BackupVerifiedAnswer.damaged(BackupDamage.TRUNCATED, "backup " + path + " is truncated: it ends"
                        + " after " + counted.read + " bytes, before its end record", counted.read);
            } catch (IOException e) {
                return BackupVerifiedAnswer.damaged(BackupDamage.MALFORMED, "backup " + path + " is not a readable rbd"
                        + " diff at byte " + counted.read + " or before: " + e.getMessage(), counted.read);
            } catch (io.rbdstack.agent.ceph.CephException e) {
                throw new IllegalStateException("a discarding target failed", e);
            }
            in.transferTo(OutputStream.nullOutputStream()); // bytes after the end record are the file's too
            if (!Objects.equals(summary.fromSnapshot(), command.fromSnapshot())
                    || !Objects.equals(summary.toSnapshot(), command.toSnapshot())) {
                return BackupVerifiedAnswer.damaged(BackupDamage.WRONG_PARENT, "backup " + path + " goes from "
                        + name(summary.fromSnapshot()) + " to snapshot " + summary.toSnapshot() + "; its chain says from "
                        + name(command.fromSnapshot()) + " to snapshot " + command.toSnapshot(), counted.read);
            }
            String actual = file.sha256();
            if (!actual.equalsIgnoreCase(command.sha256()) || counted.read != command.sizeBytes()) {
                return BackupVerifiedAnswer.damaged(BackupDamage.CHECKSUM_MISMATCH, "backup " + path + " is damaged:"
                        + " its SHA-256 is " + actual + " over " + counted.read + " bytes, it was written with "
                        + command.sha256() + " over " + command.sizeBytes(), counted.read);
            }
            return BackupVerifiedAnswer.whole(counted.read);
        }
    }

    private static String name(String fromSnapshot) {
        return fromSnapshot == null ? "nothing (a full backup)" : "snapshot " + fromSnapshot;
    }

    /** A read of the store itself failed: the store's fault, not the file's. */
    private static final class StoreReadException extends IOException {
        StoreReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The store's stream, counting the bytes read and telling its own failures from the parser's. */
    private static final class StoreStream extends FilterInputStream {
        long read;

        StoreStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                throw new StoreReadException(e);
            }
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                throw new StoreReadException(e);
            }
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
