package io.rbdstack.spi.agent.vm;

/**
 * One disk of a VM. {@code deviceId} is CloudStack's: 0 is the root disk, 3 is kept for the CD-ROM,
 * data disks take 1, 2, 4, 5…; the agent maps it to the guest's device (vda, vdb…). {@code poolUuid}
 * names a primary-storage pool already attached to the host and {@code path} the volume in it (for
 * RBD, the image name). {@code type} is ROOT or DATADISK.
 */
public record VmDisk(int deviceId, String volumeUuid, String poolUuid, String path, String type) {
}
