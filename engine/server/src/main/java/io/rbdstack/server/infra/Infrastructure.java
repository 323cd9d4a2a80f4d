package io.rbdstack.server.infra;

/** The repositories the zone, pod and cluster commands share. */
public record Infrastructure(ZoneRepository zones, PodRepository pods, ClusterRepository clusters) {
}
