package io.rbdstack.agent.storage;

import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.HashBehind;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosConnector.Traffic;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdBackups;
import io.rbdstack.agent.ceph.RbdImageInfo;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.store.ImageStore;
import io.rbdstack.agent.store.ImageStores;
import io.rbdstack.agent.store.ReadAheadFile;
import io.rbdstack.agent.store.WriteAttempt;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.storage.rbd.agent.BackupFile;
import io.rbdstack.storage.rbd.agent.BackupRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.RbdBackupAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RestoreRbdBackupCommand;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot backups between an RBD pool and an image store: write one (full or incremental) with
 * its SHA-256, and restore a chain of them into a new image, checking each file's SHA-256.
 */
final class RbdBackupCommands {

    private static final Logger LOG = LoggerFactory.getLogger(RbdBackupCommands.class);

    /**
     * A restore reads each file up to this many buffers ahead of its writes (16 MiB of heap). Writes often end in
     * bursts, and each takes 4 MiB at once: 8 MiB ahead still left a 1 GiB restore waiting 0.5-1.3 s for its reads
     * (directory, NFS), 16 MiB 17-211 ms (scripts/bench-backup.sh, agent log "Read backup ... waited").
     */
    static final int READ_AHEAD_BUFFERS = 16;
    static final int READ_AHEAD_BUFFER_BYTES = 1 << 20;

    private final RadosConnector rados;

    RbdBackupCommands(RadosConnector rados) {
        this.rados = Objects.requireNonNull(rados, "rados");
    }

    RbdBackupAnswer backup(BackupRbdSnapshotCommand command) {
        return backup(command, ProgressReporter.NONE);
    }

    /** Writes the backup, reporting the data bytes written of those to write. */
    RbdBackupAnswer backup(BackupRbdSnapshotCommand command, ProgressReporter progress) {
        long start = System.nanoTime();
        // A name of this run's own: a retry of the command sent to another host (this one lost, maybe still
        // writing) writes another, and the server records the name of the run whose answer it accepted.
        String path = WriteAttempt.now().nameOf(command.path());
        long[] phases = new long[3]; // connected, store opened, data written (before the store's flush and rename)
        try (RadosSession session = rados.connect(command.pool(), Traffic.of(command))) {
            phases[0] = System.nanoTime();
            ImageStore store = ImageStores.open(command.storeUrl(), command.storeCredentials());
            phases[1] = System.nanoTime();
            ImageStore.Written<String> written = store.writeAtomically(path, out -> {
                // SHA-256 on a thread of its own, over the buffers librbd read into, while this one writes them.
                try (HashBehind hash = new HashBehind(sha256())) {
                    new RbdBackups(session).export(command.image(), command.fromSnapshot(), command.snapshot(), out,
                            hash, progress, store.buffersWrites());
                    String sha256 = HexFormat.of().formatHex(hash.digest());
                    phases[2] = System.nanoTime();
                    return sha256;
                }
            });
            long end = System.nanoTime();
            LOG.info("Backup {}@{} to {} took {} ms: Ceph session {} ms, store opened {} ms, data {} ms,"
                    + " stored {} ms", command.image(), command.snapshot(), path,
                    millis(start, end), millis(start, phases[0]),
                    millis(phases[0], phases[1]), millis(phases[1], phases[2]), millis(phases[2], end));
            return new RbdBackupAnswer(true, null, path, written.sizeBytes(), written.value());
        } catch (Exception e) {
            rados.retireAfter(command.pool(), e);
            return RbdBackupAnswer.failed("cannot back up snapshot " + command.image() + "@" + command.snapshot()
                    + " to " + command.storeUrl() + ": " + e.getMessage());
        }
    }

    RbdImageAnswer restore(RestoreRbdBackupCommand command) {
        return restore(command, ProgressReporter.NONE);
    }

    /** Restores the chain into a new image, reporting the bytes of backup files read of those in all. */
    RbdImageAnswer restore(RestoreRbdBackupCommand command, ProgressReporter progress) {
        try (RadosSession session = rados.connect(command.pool(), Traffic.of(command))) {
            RbdImages images = new RbdImages(session);
            images.create(command.newImage(), command.sizeBytes());
            try {
                RbdBackups backups = new RbdBackups(session);
                String previous = null;
                long total = 0;
                for (BackupFile file : command.chain()) {
                    total += ImageStores.open(file.storeUrl(), file.credentials()).size(file.path());
                }
                long[] read = {0};
                long all = total;
                progress.report(0, all);
                for (BackupFile file : command.chain()) {
                    RbdBackups.Transfer applied = apply(backups, command.newImage(), file, bytes -> {
                        read[0] += bytes;
                        progress.report(read[0], all);
                    });
                    // As rbd import-diff checks: each diff must start where the one before ended.
                    if (!java.util.Objects.equals(applied.fromSnapshot(), previous)) {
                        throw new CephException("backup " + file.path() + " goes from snapshot "
                                + applied.fromSnapshot() + ", but the backups before it end at " + previous
                                + ": the chain is broken", -22);
                    }
                    previous = applied.toSnapshot();
                }
                RbdImageInfo info = images.info(command.newImage()).orElseThrow();
                return new RbdImageAnswer(true, null, info.name(), info.sizeBytes());
            } catch (Exception e) {
                deleteQuietly(images, command.newImage());
                throw e;
            }
        } catch (Exception e) {
            rados.retireAfter(command.pool(), e);
            return new RbdImageAnswer(false, "cannot restore image " + command.newImage() + " from its backups: "
                    + e.getMessage(), command.newImage(), 0);
        }
    }

    private static RbdBackups.Transfer apply(RbdBackups backups, String image, BackupFile file,
                                             java.util.function.LongConsumer bytesRead) throws Exception {
        ImageStore store = ImageStores.open(file.storeUrl(), file.credentials());
        // Read and hashed on a thread of its own while this one waits for librbd's writes.
        try (ReadAheadFile read = ReadAheadFile.open(store, file.path(), READ_AHEAD_BUFFERS, READ_AHEAD_BUFFER_BYTES);
             InputStream in = new java.io.FilterInputStream(read) {
                 @Override
                 public int read() throws java.io.IOException {
                     int b = super.read();
                     if (b >= 0) {
                         bytesRead.accept(1);
                     }
                     return b;
                 }

                 @Override
                 public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
                     int n = super.read(buffer, offset, length);
                     if (n > 0) {
                         bytesRead.accept(n);
                     }
                     return n;
                 }
             }) {
            RbdBackups.Transfer applied = backups.restore(image, in);
            in.transferTo(java.io.OutputStream.nullOutputStream()); // anything after the end record counts too
            String actual = read.sha256();
            LOG.info("Read backup {} ({} bytes): the restore {}", file.path(), read.bytesRead(), read.timings());
            if (!actual.equalsIgnoreCase(file.sha256())) {
                throw new CephException("backup " + file.path() + " is damaged: its SHA-256 is " + actual
                        + ", it was written with " + file.sha256(), -5);
            }
            return applied;
        }
    }

    private static void deleteQuietly(RbdImages images, String image) {
        try {
            images.delete(image);
        } catch (CephException e) {
            LOG.warn("After a failed restore, deleting image {} failed too: {}", image, e.getMessage());
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
