package io.rbdstack.server.vm;

import java.util.function.Supplier;

/**
 * Serialises the NIC changes of one VM across every management server on the database: a plug or unplug
 * waits on the host for seconds (a guest releasing a NIC up to 30 s), which must not happen inside a
 * transaction holding the VM's row (every other change of that VM, and the state sync, would wait on it).
 */
interface VmNicLocks {

    /** Runs {@code work} holding the NIC lock of VM {@code vmId}, waiting for it as long as one job may take. */
    <T> T holding(long vmId, Supplier<T> work);
}
