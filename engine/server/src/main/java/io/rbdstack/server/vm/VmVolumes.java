package io.rbdstack.server.vm;

import io.rbdstack.server.db.Jdbc;
import io.rbdstack.spi.agent.vm.VmDisk;
import java.time.Instant;
import java.util.List;

/** The volumes of VMs: which VM each belongs to and at which device id (volumes.instance_id, device_id). */
final class VmVolumes {

    static final String ROOT = "ROOT";
    static final String DATADISK = "DATADISK";

    /** A live volume of a VM, with what the agent needs to plug it. */
    record VmVolume(long id, String uuid, String name, int deviceId, String type, Long poolId, String poolUuid,
                    String path, String state) {

        VmDisk disk() {
            return new VmDisk(deviceId, uuid, poolUuid, path, type);
        }
    }

    private final Jdbc jdbc;

    VmVolumes(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The VM's live volumes by device id (the root volume first). */
    List<VmVolume> of(long vmId) {
        return jdbc.query("SELECT v.id, v.uuid, v.name, v.device_id, v.volume_type, v.pool_id, s.uuid, v.path, v.state"
                + " FROM volumes v LEFT JOIN storage_pool s ON s.id = v.pool_id WHERE v.instance_id = ?"
                + " AND v.removed IS NULL ORDER BY v.device_id", rs -> new VmVolume(rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getInt(4), rs.getString(5), rs.getObject(6, Long.class), rs.getString(7),
                rs.getString(8), rs.getString(9)), vmId);
    }

    /** Makes a newly allocated volume the VM's root disk (device 0), cloned from {@code templateId}. */
    void makeRoot(long volumeId, long vmId, long templateId) {
        jdbc.update("UPDATE volumes SET volume_type = ?, instance_id = ?, device_id = 0, template_id = ? WHERE id = ?",
                ROOT, vmId, templateId, volumeId);
    }

    /**
     * Records the volume on the VM at {@code deviceId}; false when it is attached already (the unique live
     * (instance, device) key and the instance_id check keep two attaches from both winning).
     */
    boolean attach(long volumeId, long vmId, int deviceId) {
        return jdbc.update("UPDATE volumes SET instance_id = ?, device_id = ?, updated = ? WHERE id = ?"
                + " AND instance_id IS NULL AND removed IS NULL", vmId, deviceId, Instant.now(), volumeId) == 1;
    }

    void detach(long volumeId) {
        jdbc.update("UPDATE volumes SET instance_id = NULL, device_id = NULL, updated = ? WHERE id = ?", Instant.now(),
                volumeId);
    }

    /** Holds the VM's row until the transaction ends: attaches and detaches of one VM take turns. */
    void lockVm(long vmId) {
        jdbc.query("SELECT id FROM vm_instance WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), vmId);
    }
}
