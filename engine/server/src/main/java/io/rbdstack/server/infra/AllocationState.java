package io.rbdstack.server.infra;

/** Whether new resources may be placed in a zone, pod or cluster (CloudStack's Grouping.AllocationState). */
public enum AllocationState {
    Enabled, Disabled
}
