package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.RbdPoolDefinition;
import io.rbdstack.spi.agent.vm.VmDisk;
import java.util.Objects;

/** A VM's disk with how this host reaches it: the libvirt definition of its RBD pool (never the key). */
public record ResolvedDisk(VmDisk disk, RbdPoolDefinition pool) {

    public ResolvedDisk {
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(pool, "pool");
    }

    /** The guest device, from the disk's device id. */
    public String target() {
        return DiskTargets.of(disk.deviceId());
    }
}
