package io.rbdstack.spi.agent;

/** What an agent reports about its host in its {@link Hello} and its {@link ReadyAnswer}. */
public record HostInfo(
        int cpuCount,
        long cpuSpeedMhz,
        long memoryBytes,
        String libvirtVersion,
        String qemuVersion,
        boolean rbdStorageBackend) {
}
