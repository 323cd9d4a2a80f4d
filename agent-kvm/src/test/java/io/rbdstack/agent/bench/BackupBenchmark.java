package io.rbdstack.agent.bench;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.ceph.RbdBackups;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.spi.Secret;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.testing.RealServices;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The agent's backup path on its own, for scripts/bench-backup.sh: export a snapshot (full or since
 * another) to a file, or restore files into a new image, as the harness's client.admin. Prints one
 * line: what, milliseconds, bytes of data.
 * <pre>
 * export IMAGE FROM|- TO FILE
 * restore NEW_IMAGE SIZE_BYTES FILE...
 * </pre>
 */
public final class BackupBenchmark {

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        RealServices.Ceph ceph = RealServices.load().ceph();
        RbdPool pool = new RbdPool(UUID.randomUUID().toString(), List.of(new CephMonitor(ceph.monHost(),
                ceph.monV1Port())), ceph.pool(), ceph.admin().id(), Secret.of(ceph.admin().key()));
        try (RadosSession session = new RadosConnector(RadosTimeouts.standard()).connect(pool)) {
            RbdBackups backups = new RbdBackups(session);
            long t0 = System.nanoTime();
            long bytes;
            if (args[0].equals("export")) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[4])), 1 << 20)) {
                    bytes = backups.export(args[1], args[2].equals("-") ? null : args[2], args[3], out).dataBytes();
                }
            } else {
                new RbdImages(session).create(args[1], Long.parseLong(args[2]));
                bytes = 0;
                for (int i = 3; i < args.length; i++) {
                    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(Path.of(args[i])),
                            1 << 20)) {
                        bytes += backups.restore(args[1], in).dataBytes();
                    }
                }
            }
            System.out.println(args[0] + " " + (System.nanoTime() - t0) / 1_000_000 + " ms " + bytes + " bytes");
        }
    }
}
