package io.rbdstack.server.vm;

import io.rbdstack.spi.agent.vm.QuiesceAnswer;
import io.rbdstack.spi.agent.vm.QuiesceVmCommand;
import java.time.Duration;

/**
 * Freezes and thaws a running guest's file systems through its qemu-guest-agent (on its host's agent),
 * around a VM snapshot. A guest without an agent is not an error: the snapshot is then crash-consistent,
 * and the caller says so.
 */
final class GuestQuiesce {

    /** How long the guest agent may take to freeze or thaw. */
    static final long TIMEOUT_MILLIS = 30_000;
    private static final Duration SLACK = Duration.ofSeconds(15);
    /** What a snapshot taken without frozen file systems is. */
    static final String CRASH_CONSISTENT = "the guest has no qemu-guest-agent; the snapshot is crash-consistent";

    private final VmAgent agent;

    GuestQuiesce(VmAgent agent) {
        this.agent = agent;
    }

    /** Freezes the guest's file systems; false when the guest has no agent (nothing was frozen). */
    boolean freeze(VmRepository.VmRow vm) {
        return send(vm, true).guestAgentPresent();
    }

    /** Thaws what {@link #freeze} froze. */
    void thaw(VmRepository.VmRow vm) {
        send(vm, false);
    }

    private QuiesceAnswer send(VmRepository.VmRow vm, boolean freeze) {
        return agent.send(vm.hostUuid(), vm.hostName(), new QuiesceVmCommand(vm.uuid(), vm.instanceName(), freeze,
                TIMEOUT_MILLIS), Duration.ofMillis(TIMEOUT_MILLIS).plus(SLACK), QuiesceAnswer.class);
    }
}
