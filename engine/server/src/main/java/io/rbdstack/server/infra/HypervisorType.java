package io.rbdstack.server.infra;

/** The hypervisors rbdstack manages: KVM only. */
public enum HypervisorType {
    KVM
}
