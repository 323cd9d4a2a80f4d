package io.rbdstack.server.snapshot;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.spi.storage.StorageException;

/**
 * Freezes a running guest's file systems (qemu-guest-agent) around a snapshot its storage takes: createSnapshot
 * with quiescevm=true and createVMSnapshot. The VM code implements it, as only it can reach a VM's host.
 */
public interface SnapshotQuiesce {

    /** What the guest saw a snapshot as when it has no qemu-guest-agent. */
    String CRASH_CONSISTENT = "the guest has no qemu-guest-agent; the snapshot is crash-consistent";

    /** The storage's part of a snapshot, run with the guest frozen. */
    interface StorageCall<T> {
        T run() throws StorageException;
    }

    /**
     * What the storage call returned, whether the guest was frozen for it, how consistent that makes the
     * snapshot (for the log and events), and a thaw failure for the caller to throw once it has recorded
     * the snapshot (a guest left frozen must not go unnoticed); null when the thaw went well.
     */
    record Quiesced<T>(T result, boolean frozen, String consistency, ApiException thawFailure) {

        public boolean crashConsistent() {
            return CRASH_CONSISTENT.equals(consistency);
        }
    }

    /**
     * Runs {@code call} with VM {@code vmId}'s guest file systems frozen when the VM is Running; a VM that is
     * not needs no freeze. The guest is thawed whether the call succeeds or fails. Without a guest agent the
     * call runs unfrozen (crash-consistent, said in the result); an agent that cannot freeze fails it.
     */
    <T> Quiesced<T> around(long vmId, StorageCall<T> call) throws StorageException;
}
