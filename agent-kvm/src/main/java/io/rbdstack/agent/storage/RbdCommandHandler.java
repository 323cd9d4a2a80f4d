package io.rbdstack.agent.storage;

import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.CephKey;
import io.rbdstack.agent.ceph.CephPoolCapacity;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdImageInfo;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.ceph.RbdPoolProbe;
import io.rbdstack.agent.ceph.RbdSnapshots;
import io.rbdstack.agent.ceph.RbdTrash;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.libvirt.LibvirtCephSecrets;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtRbdPools;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.BackupRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CloneRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.RestoreRbdBackupCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.RbdSnapshotAnswer;
import io.rbdstack.storage.rbd.agent.RollbackRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DescribeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageAnswer;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdImageStateAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityAnswer;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityCommand;
import io.rbdstack.storage.rbd.agent.RemoveRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.ResizeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolCommand;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the RBD storage commands: pool checks and capacity and image work through librados, pool
 * definitions through libvirt; any other command goes to the next handler. It remembers the pools
 * it defined (in memory) and defines them again after libvirtd restarted ({@link #redefineAll()},
 * also for the management-server client's reconnect). Work on one pool is serialised; different
 * pools go in parallel. Failures become answers whose details say what failed; keys never appear.
 */
public final class RbdCommandHandler implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RbdCommandHandler.class);

    private final RadosConnector rados;
    private final RbdPoolProbe probe;
    private final RbdBackupCommands backups;
    private final LibvirtCephSecrets secrets;
    private final LibvirtRbdPools pools;
    private final BooleanSupplier libvirtHasRbd;
    private final CommandHandler next;
    private final Map<String, RbdPool> defined = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private RbdCommandHandler(RadosConnector rados, LibvirtConnection libvirt, BooleanSupplier libvirtHasRbd,
                              CommandHandler next) {
        this.rados = Objects.requireNonNull(rados, "rados");
        this.probe = new RbdPoolProbe(rados);
        this.backups = new RbdBackupCommands(rados);
        this.secrets = new LibvirtCephSecrets(libvirt);
        this.pools = new LibvirtRbdPools(libvirt);
        this.libvirtHasRbd = Objects.requireNonNull(libvirtHasRbd, "libvirtHasRbd");
        this.next = Objects.requireNonNull(next, "next");
    }

    /**
     * A handler that also defines its pools again whenever {@code libvirt} reconnects.
     *
     * @param libvirtHasRbd whether libvirtd has the RBD storage backend (asked on each pool test)
     */
    public static RbdCommandHandler create(RadosConnector rados, LibvirtConnection libvirt,
                                           BooleanSupplier libvirtHasRbd, CommandHandler next) {
        RbdCommandHandler handler = new RbdCommandHandler(rados, libvirt, libvirtHasRbd, next);
        libvirt.addReconnectListener(handler::redefineAll);
        return handler;
    }

    @Override
    public Answer handle(AgentCommand command) {
        if (command instanceof TestRbdPoolCommand test) {
            return test(test.pool());
        } else if (command instanceof DefineRbdPoolCommand define) {
            return define(define.pool());
        } else if (command instanceof RemoveRbdPoolCommand remove) {
            return remove(remove.poolUuid());
        } else if (command instanceof RbdPoolCapacityCommand capacity) {
            return capacity(capacity.pool());
        } else if (command instanceof CreateRbdImageCommand create) {
            return image(create.pool(), create.image(), images -> images.create(create.image(), create.sizeBytes()));
        } else if (command instanceof ResizeRbdImageCommand resize) {
            return image(resize.pool(), resize.image(), images -> images.resize(resize.image(), resize.newSizeBytes()));
        } else if (command instanceof DeleteRbdImageCommand delete) {
            return delete(delete);
        } else if (command instanceof DescribeRbdImageCommand describe) {
            return describe(describe);
        } else if (command instanceof PurgeRbdImageCommand purge) {
            return purge(purge);
        } else if (command instanceof CreateRbdSnapshotCommand create) {
            return snapshot(create);
        } else if (command instanceof DeleteRbdSnapshotCommand delete) {
            return deleteSnapshot(delete);
        } else if (command instanceof RollbackRbdSnapshotCommand rollback) {
            return image(rollback.pool(), rollback.image(), images -> {
                new RbdSnapshots(images.session()).rollback(rollback.image(), rollback.snapshot());
                return images.info(rollback.image()).orElseThrow();
            });
        } else if (command instanceof BackupRbdSnapshotCommand backup) {
            return backups.backup(backup);
        } else if (command instanceof RestoreRbdBackupCommand restore) {
            return backups.restore(restore);
        } else if (command instanceof CloneRbdSnapshotCommand clone) {
            return image(clone.pool(), clone.newImage(), images -> images.cloneFlattened(clone.image(),
                    clone.snapshot(), clone.newImage()));
        }
        return next.handle(command);
    }

    /** Defines every remembered pool again; a failure is logged and the others still go. */
    public void redefineAll() {
        for (RbdPool pool : defined.values()) {
            Answer answer = withPoolLock(pool.uuid(), () -> defined.get(pool.uuid()) == pool
                    ? define(pool) : GenericAnswer.ok()); // removed or replaced meanwhile: nothing to do
            if (answer.success()) {
                LOG.info("Re-defined RBD pool {} in libvirt", pool.uuid());
            } else {
                LOG.warn("Could not re-define RBD pool {} in libvirt: {}", pool.uuid(), answer.details());
            }
        }
    }

    /** The uuids of the pools this handler defined and has not removed. */
    public Set<String> definedPools() {
        return Set.copyOf(defined.keySet());
    }

    private TestRbdPoolAnswer test(RbdPool pool) {
        TestRbdPoolAnswer answer = probe.probe(pool);
        if (!answer.success()) {
            return answer;
        }
        boolean hasRbd;
        try {
            hasRbd = libvirtHasRbd.getAsBoolean();
        } catch (RuntimeException e) {
            return TestRbdPoolAnswer.failed(TestRbdPoolAnswer.Failure.OTHER,
                    "cannot ask libvirtd for its storage backends: " + e.getMessage());
        }
        if (!hasRbd) {
            return TestRbdPoolAnswer.failed(TestRbdPoolAnswer.Failure.LIBVIRT_WITHOUT_RBD,
                    "libvirt on this host has no RBD storage backend (install libvirt-daemon-driver-storage-rbd)");
        }
        return answer;
    }

    private GenericAnswer define(RbdPool pool) {
        return withPoolLock(pool.uuid(), () -> {
            CephKey key;
            try {
                key = CephKey.parse(pool.cephKey());
            } catch (CephException e) {
                return GenericAnswer.failure("cannot define RBD pool " + pool.uuid() + ": " + e.getMessage());
            }
            try {
                String secretUuid = secrets.define(pool, key);
                pools.define(pool, secretUuid);
            } catch (LibvirtException e) {
                if (!defined.containsKey(pool.uuid())) {
                    removeQuietly(pool.uuid()); // a first define that failed leaves nothing behind
                }
                return GenericAnswer.failure("cannot define RBD pool " + pool.uuid() + " in libvirt: " + e.getMessage());
            }
            defined.put(pool.uuid(), pool);
            return GenericAnswer.ok();
        });
    }

    private GenericAnswer remove(String poolUuid) {
        return withPoolLock(poolUuid, () -> {
            defined.remove(poolUuid); // even if libvirt fails below: the server no longer wants it
            try {
                pools.remove(poolUuid);
                secrets.undefine(poolUuid);
            } catch (LibvirtException e) {
                return GenericAnswer.failure("cannot remove RBD pool " + poolUuid + " from libvirt: " + e.getMessage());
            }
            return GenericAnswer.ok();
        });
    }

    private void removeQuietly(String poolUuid) {
        try {
            pools.remove(poolUuid);
            secrets.undefine(poolUuid);
        } catch (LibvirtException e) {
            LOG.warn("Could not clean up the failed definition of RBD pool {}: {}", poolUuid, e.getMessage());
        }
    }

    private RbdPoolCapacityAnswer capacity(RbdPool pool) {
        try (RadosSession session = rados.connect(pool)) {
            return CephPoolCapacity.read(session);
        } catch (CephException e) {
            return new RbdPoolCapacityAnswer(false, "cannot read the capacity of RBD pool " + pool.uuid() + ": "
                    + e.getMessage(), 0, 0, 0);
        }
    }

    private RbdImageAnswer delete(DeleteRbdImageCommand delete) {
        return image(delete.pool(), delete.image(), images -> {
            boolean existed = delete.deferSeconds() > 0
                    ? images.moveToTrash(delete.image(), delete.deferSeconds())
                    : images.delete(delete.image());
            if (!existed) {
                LOG.info("RBD image {}/{} was already gone", delete.pool().cephPool(), delete.image());
            }
            return new RbdImageInfo(delete.image(), 0, 2, 0); // what is left of it: nothing
        });
    }

    private RbdImageStateAnswer describe(DescribeRbdImageCommand describe) {
        try (RadosSession session = rados.connect(describe.pool())) {
            return new RbdImages(session).info(describe.image())
                    .map(info -> new RbdImageStateAnswer(true, null, true, info.sizeBytes()))
                    .orElseGet(() -> new RbdImageStateAnswer(true, null, false, 0));
        } catch (CephException e) {
            return RbdImageStateAnswer.failed(e.getMessage());
        }
    }

    private RbdSnapshotAnswer snapshot(CreateRbdSnapshotCommand create) {
        try (RadosSession session = rados.connect(create.pool())) {
            RbdSnapshots.Snapshot taken = new RbdSnapshots(session).create(create.image(), create.snapshot());
            return new RbdSnapshotAnswer(true, null, taken.name(), taken.sizeBytes());
        } catch (CephException e) {
            return new RbdSnapshotAnswer(false, e.getMessage(), create.snapshot(), 0);
        }
    }

    private GenericAnswer deleteSnapshot(DeleteRbdSnapshotCommand delete) {
        try (RadosSession session = rados.connect(delete.pool())) {
            if (!new RbdSnapshots(session).delete(delete.image(), delete.snapshot())) {
                LOG.info("Snapshot {}/{}@{} was already gone", delete.pool().cephPool(), delete.image(),
                        delete.snapshot());
            }
            return GenericAnswer.ok();
        } catch (CephException e) {
            return GenericAnswer.failure(e.getMessage());
        }
    }

    private PurgeRbdImageAnswer purge(PurgeRbdImageCommand purge) {
        try (RadosSession session = rados.connect(purge.pool())) {
            RbdTrash.Purge done = new RbdTrash(session).purge(purge.image());
            return new PurgeRbdImageAnswer(true, null, done.purged(),
                    done.deferredUntil() == null ? 0 : done.deferredUntil().getEpochSecond());
        } catch (CephException e) {
            return PurgeRbdImageAnswer.failed(e.getMessage());
        }
    }

    @FunctionalInterface
    private interface ImageWork {
        RbdImageInfo apply(RbdImages images) throws CephException;
    }

    private RbdImageAnswer image(RbdPool pool, String image, ImageWork work) {
        try (RadosSession session = rados.connect(pool)) {
            RbdImageInfo info = work.apply(new RbdImages(session));
            return new RbdImageAnswer(true, null, info.name(), info.sizeBytes());
        } catch (CephException e) {
            return new RbdImageAnswer(false, e.getMessage(), image, 0);
        }
    }

    private <T> T withPoolLock(String poolUuid, java.util.function.Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(poolUuid, uuid -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
