package io.rbdstack.agent.vm;

/**
 * The guest device of a CloudStack device id: 0 = vda, 1 = vdb, 2 = vdc, 4 = vde… (3 is CloudStack's
 * CD-ROM slot, so data disks skip vdd). Stable ids make the same volume the same device at each start.
 */
public final class DiskTargets {

    private DiskTargets() {
    }

    public static String of(int deviceId) {
        if (deviceId < 0 || deviceId > 25) {
            throw new IllegalArgumentException("disk device id " + deviceId + " is out of range 0-25");
        }
        return "vd" + (char) ('a' + deviceId);
    }
}
