package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import java.util.Collection;
import java.util.OptionalInt;

/**
 * Device ids of a VM's disks, as CloudStack numbers them on KVM: 0 is the root disk, 3 is kept for the
 * CD-ROM, data disks take 1, 2, 4, 5… up to the hypervisor's limit of data disks.
 */
final class DeviceIds {

    static final int ROOT = 0;
    static final int CDROM = 3;
    /** CloudStack's max_data_volumes_limit for KVM. */
    static final int MAX_DATA_DISKS = 6;

    private DeviceIds() {
    }

    /** The lowest free data-disk device id, or empty when the VM already has its maximum of data disks. */
    static OptionalInt next(Collection<Integer> used) {
        long dataDisks = used.stream().filter(id -> id != ROOT).count();
        if (dataDisks >= MAX_DATA_DISKS) {
            return OptionalInt.empty();
        }
        for (int id = 1; ; id++) {
            if (id != CDROM && !used.contains(id)) {
                return OptionalInt.of(id);
            }
        }
    }

    /** A device id the caller asked for: a data-disk slot that is free, else 431 naming {@code deviceid}. */
    static int requireFree(long wanted, Collection<Integer> used) {
        if (wanted == ROOT) {
            throw ApiException.invalidParameter("Vm already has root volume attached to it (parameter deviceid)");
        }
        if (wanted == CDROM || wanted < 0 || wanted > MAX_DATA_DISKS + 1) {
            throw ApiException.invalidParameter("deviceId should be between 1 and " + (MAX_DATA_DISKS + 1)
                    + ", except " + CDROM + ", which is kept for the CD-ROM (parameter deviceid)");
        }
        if (used.contains((int) wanted)) {
            throw ApiException.invalidParameter("Device id " + wanted + " is used by another volume of the VM"
                    + " (parameter deviceid)");
        }
        return (int) wanted;
    }
}
