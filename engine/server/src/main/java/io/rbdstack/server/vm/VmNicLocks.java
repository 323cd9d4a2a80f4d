package io.rbdstack.server.vm;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the NIC changes of one VM in this server: a plug or unplug waits on the host for seconds (a
 * guest releasing a NIC up to 30 s), which must not happen inside a database transaction holding the VM's
 * row (every other change of that VM, and the state sync, would wait on the row and a pooled connection).
 * A fixed set of fair locks picked by the VM's id: bounded, and two VMs rarely share one.
 */
final class VmNicLocks {

    private static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    VmNicLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock(true);
        }
    }

    <T> T holding(long vmId, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(Long.hashCode(vmId), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
