package io.rbdstack.agent.storage;

import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.CephKey;
import io.rbdstack.agent.ceph.CephPoolCapacity;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdPoolProbe;
import io.rbdstack.agent.libvirt.LibvirtCephSecrets;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtRbdPools;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityAnswer;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityCommand;
import io.rbdstack.storage.rbd.agent.RemoveRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolCommand;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RBD pool commands: test a pool and read its capacity through librados, define and remove it
 * in libvirt. It remembers the pools it defined (in memory) and defines them again after libvirtd
 * restarted ({@link #redefineAll()}, also after the agent reconnects). Work on one pool is
 * serialised; different pools go in parallel. Failures become answers; keys never appear.
 */
public final class RbdPoolCommands {

    private static final Logger LOG = LoggerFactory.getLogger(RbdPoolCommands.class);

    private final RadosConnector rados;
    private final RbdPoolProbe probe;
    private final LibvirtCephSecrets secrets;
    private final LibvirtRbdPools pools;
    private final BooleanSupplier libvirtHasRbd;
    private final Map<String, RbdPool> defined = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private RbdPoolCommands(RadosConnector rados, LibvirtConnection libvirt, BooleanSupplier libvirtHasRbd) {
        this.rados = Objects.requireNonNull(rados, "rados");
        this.probe = new RbdPoolProbe(rados);
        this.secrets = new LibvirtCephSecrets(libvirt);
        this.pools = new LibvirtRbdPools(libvirt);
        this.libvirtHasRbd = Objects.requireNonNull(libvirtHasRbd, "libvirtHasRbd");
    }

    /**
     * Pool commands that also define their pools again whenever {@code libvirt} reconnects.
     *
     * @param libvirtHasRbd whether libvirtd has the RBD storage backend (asked on each pool test)
     */
    public static RbdPoolCommands create(RadosConnector rados, LibvirtConnection libvirt,
                                         BooleanSupplier libvirtHasRbd) {
        RbdPoolCommands commands = new RbdPoolCommands(rados, libvirt, libvirtHasRbd);
        libvirt.addReconnectListener(commands::redefineAll);
        return commands;
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

    /** The uuids of the pools defined and not removed since. */
    public Set<String> definedPools() {
        return Set.copyOf(defined.keySet());
    }

    TestRbdPoolAnswer test(TestRbdPoolCommand command) {
        TestRbdPoolAnswer answer = probe.probe(command.pool());
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

    GenericAnswer define(DefineRbdPoolCommand command) {
        return define(command.pool());
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

    GenericAnswer remove(RemoveRbdPoolCommand command) {
        String poolUuid = command.poolUuid();
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

    RbdPoolCapacityAnswer capacity(RbdPoolCapacityCommand command) {
        RbdPool pool = command.pool();
        // Its own connection: this periodic read is how a revoked key or user (auth del) puts the pool in
        // Alert, and a shared connection keeps its cephx tickets and caps until it closes.
        try (RadosSession session = rados.connectAlone(pool)) {
            return CephPoolCapacity.read(session);
        } catch (CephException e) {
            return new RbdPoolCapacityAnswer(false, "cannot read the capacity of RBD pool " + pool.uuid() + ": "
                    + e.getMessage(), 0, 0, 0);
        }
    }

    private void removeQuietly(String poolUuid) {
        try {
            pools.remove(poolUuid);
            secrets.undefine(poolUuid);
        } catch (LibvirtException e) {
            LOG.warn("Could not clean up the failed definition of RBD pool {}: {}", poolUuid, e.getMessage());
        }
    }

    private <T> T withPoolLock(String poolUuid, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(poolUuid, uuid -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
