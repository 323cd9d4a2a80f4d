package io.rbdstack.server.vm;

import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.snapshot.SnapshotQuiesce;
import io.rbdstack.spi.agent.vm.QuiesceAnswer;
import io.rbdstack.spi.agent.vm.QuiesceVmCommand;
import io.rbdstack.spi.storage.StorageException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freezes and thaws a running guest's file systems through its qemu-guest-agent (on its host's agent),
 * around a VM snapshot or a volume snapshot. A guest without an agent is not an error: the snapshot is
 * then crash-consistent, and the caller says so.
 */
public final class GuestQuiesce implements SnapshotQuiesce {

    private static final Logger LOG = LoggerFactory.getLogger(GuestQuiesce.class);

    /** How long the guest agent may take to freeze or thaw. */
    static final long TIMEOUT_MILLIS = 30_000;
    private static final Duration SLACK = Duration.ofSeconds(15);
    static final String QUIESCED = "quiesced: the guest agent froze the file systems while it was taken";
    static final String STOPPED = "consistent: the VM was stopped";

    private final VmAgent agent;
    private final VmRepository vms;

    GuestQuiesce(VmAgent agent, VmRepository vms) {
        this.agent = agent;
        this.vms = vms;
    }

    /** The quiesce createSnapshot's quiescevm=true uses, wired by the management server. */
    public static GuestQuiesce forVolumeSnapshots(Jdbc jdbc, AgentConnections agents) {
        return new GuestQuiesce(new VmAgent(agents), new VmRepository(jdbc));
    }

    /** createSnapshot quiescevm=true: the volume's VM must be frozen if it runs and has a guest agent. */
    @Override
    public <T> Quiesced<T> around(long vmId, StorageCall<T> call) throws StorageException {
        VmRepository.VmRow vm = vms.findById(vmId).orElseThrow(() -> ApiException.internal("VM " + vmId
                + " of the volume is gone", null));
        return around(vm, true, call);
    }

    /**
     * Runs {@code call} with a Running guest frozen, then thaws it (also when the call fails; a thaw failure
     * then rides on the call's). Without a guest agent nothing is frozen (crash-consistent). An agent that
     * cannot freeze fails the call when {@code required} (quiescevm=true), and is only logged otherwise.
     */
    <T> Quiesced<T> around(VmRepository.VmRow vm, boolean required, StorageCall<T> call) throws StorageException {
        boolean frozen = false;
        String consistency = STOPPED;
        if (vm.state() == VmState.Running) {
            frozen = freeze(vm, required);
            consistency = frozen ? QUIESCED : CRASH_CONSISTENT;
            if (!frozen) {
                LOG.info("VM {} ({}) is not frozen for its snapshot: {}", vm.name(), vm.uuid(), consistency);
            }
        }
        T result;
        try {
            result = call.run();
        } catch (StorageException | RuntimeException e) {
            ApiException thawFailure = frozen ? thaw(vm) : null;
            if (thawFailure != null) {
                e.addSuppressed(thawFailure);
            }
            throw e;
        }
        return new Quiesced<>(result, frozen, consistency, frozen ? thaw(vm) : null);
    }

    private boolean freeze(VmRepository.VmRow vm, boolean required) {
        try {
            return send(vm, true).guestAgentPresent();
        } catch (ApiException e) {
            if (required) {
                throw new ApiException(e.errorCode(), e.csErrorCode(), "Could not quiesce VM " + vm.label()
                        + " (quiescevm=true): " + e.getMessage(), e);
            }
            LOG.warn("Could not freeze the file systems of VM {} ({}); its snapshot is crash-consistent: {}",
                    vm.name(), vm.uuid(), e.getMessage());
            return false;
        }
    }

    /** Thaws the guest; its failure, for the caller to report. */
    private ApiException thaw(VmRepository.VmRow vm) {
        try {
            send(vm, false);
            return null;
        } catch (ApiException e) {
            LOG.error("Could not thaw the file systems of VM {} ({}): {}", vm.name(), vm.uuid(), e.getMessage(), e);
            return new ApiException(e.errorCode(), e.csErrorCode(), "The snapshot was taken, but the file systems"
                    + " of VM " + vm.label() + " could not be thawed: " + e.getMessage(), e);
        }
    }

    private QuiesceAnswer send(VmRepository.VmRow vm, boolean freeze) {
        return agent.send(vm.hostUuid(), vm.hostName(), new QuiesceVmCommand(vm.uuid(), vm.instanceName(), freeze,
                TIMEOUT_MILLIS), Duration.ofMillis(TIMEOUT_MILLIS).plus(SLACK), QuiesceAnswer.class);
    }
}
