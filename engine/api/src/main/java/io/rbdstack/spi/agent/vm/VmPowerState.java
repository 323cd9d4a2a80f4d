package io.rbdstack.spi.agent.vm;

/** A domain's power state as a host reports it. */
public enum VmPowerState {
    /** Running, or paused by the hypervisor for a moment (a snapshot, a migration). */
    POWER_ON,
    /** Shut off, crashed, or not on this host. */
    POWER_OFF
}
