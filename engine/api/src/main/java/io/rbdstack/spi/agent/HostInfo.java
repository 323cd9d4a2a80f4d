package io.rbdstack.spi.agent;

/**
 * What an agent reports about its host in its {@link Hello} and its {@link ReadyAnswer}.
 * {@code virtType} is the libvirt domain type its VMs run under: {@code kvm}, or {@code qemu}
 * (emulation) on a host without KVM; null from agents that predate VMs.
 */
public record HostInfo(
        int cpuCount,
        long cpuSpeedMhz,
        long memoryBytes,
        String libvirtVersion,
        String qemuVersion,
        boolean rbdStorageBackend,
        String virtType) {

    public HostInfo(int cpuCount, long cpuSpeedMhz, long memoryBytes, String libvirtVersion, String qemuVersion,
                    boolean rbdStorageBackend) {
        this(cpuCount, cpuSpeedMhz, memoryBytes, libvirtVersion, qemuVersion, rbdStorageBackend, null);
    }
}
