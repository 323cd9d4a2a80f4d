package io.rbdstack.server.vm;

import java.util.EnumSet;
import java.util.Set;

/**
 * A VM's life (CloudStack's VirtualMachine.State names, as {@code vm_instance.state} and
 * listVirtualMachines' {@code state} hold them), and the only place that says which state may follow
 * which. A move along an edge not listed here is a bug in the caller ({@link #checkMoveTo} throws); a
 * user asking for what the current state does not allow is answered before any move is tried.
 */
public enum VmState {
    /** A host is reserved and the agent was asked to start the domain. */
    Starting,
    /** The domain runs on its host. */
    Running,
    /** The agent was asked to stop the domain. */
    Stopping,
    /** No domain anywhere; the VM keeps its volumes and NICs. */
    Stopped,
    /** Destroyed but recoverable (destroyVirtualMachine without expunge). */
    Destroyed,
    /** Its root volume and NICs are being removed; the row is removed after. */
    Expunging,
    /** An expunge failed; only another destroy with expunge can move it on. */
    Error;

    /** The states that may follow this one. */
    public Set<VmState> next() {
        return switch (this) {
            // Stopped again when the agent could not start it (or no host was left).
            case Starting -> EnumSet.of(Running, Stopped);
            // Stopped directly: the host reported it gone (state sync).
            case Running -> EnumSet.of(Stopping, Stopped);
            // Running again when the agent could not stop it.
            case Stopping -> EnumSet.of(Stopped, Running);
            case Stopped -> EnumSet.of(Starting, Destroyed, Expunging);
            case Destroyed -> EnumSet.of(Stopped, Expunging);
            case Expunging -> EnumSet.of(Error);
            case Error -> EnumSet.of(Expunging);
        };
    }

    public boolean canMoveTo(VmState to) {
        return next().contains(to);
    }

    /** Throws when {@code to} may not follow this state: the caller has a bug. */
    public void checkMoveTo(VmState to) {
        if (!canMoveTo(to)) {
            throw new IllegalStateException("Illegal VM state transition " + this + " -> " + to + "; allowed from "
                    + this + ": " + next());
        }
    }

    /** Whether a domain may exist for it on a host: the states that hold a host's CPU and memory. */
    public boolean holdsHost() {
        return this == Starting || this == Running || this == Stopping;
    }
}
