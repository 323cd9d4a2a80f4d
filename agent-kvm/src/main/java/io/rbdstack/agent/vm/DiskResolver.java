package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.LibvirtRbdPools;
import io.rbdstack.spi.agent.vm.VmDisk;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.libvirt.LibvirtException;

/**
 * Finds how this host reaches a VM's disks: the libvirt RBD pool the agent defined for the disk's pool
 * uuid (rbd.definePool) gives the monitors, the cephx user and the uuid of the secret with its key.
 */
public final class DiskResolver {

    private final LibvirtRbdPools pools;

    public DiskResolver(LibvirtRbdPools pools) {
        this.pools = Objects.requireNonNull(pools, "pools");
    }

    public ResolvedDisk resolve(VmDisk disk) throws LibvirtException {
        return new ResolvedDisk(disk, pools.definition(disk.poolUuid()).orElseThrow(() -> new VmException(
                "volume " + disk.volumeUuid() + " is on primary storage " + disk.poolUuid()
                        + ", which is not defined on this host")));
    }

    public List<ResolvedDisk> resolveAll(List<VmDisk> disks) throws LibvirtException {
        List<ResolvedDisk> resolved = new ArrayList<>();
        for (VmDisk disk : disks) {
            resolved.add(resolve(disk));
        }
        return resolved;
    }
}
