package io.rbdstack.server.settings;

import java.util.List;

/**
 * A global setting of the {@code configuration} table, declared once here with its type, default,
 * scope and description; listConfigurations reads it and the admin guide table is made from the list.
 */
public record Setting(String name, String category, Type type, String defaultValue, String description) {

    public enum Type {
        BOOLEAN, INTEGER, STRING, DECIMAL;

        /** Null when {@code value} is acceptable, else why not. */
        public String problem(String value) {
            return switch (this) {
                case BOOLEAN -> value.equals("true") || value.equals("false") ? null : "must be true or false";
                case INTEGER -> value.matches("-?\\d{1,18}") ? null : "must be a whole number";
                case DECIMAL -> value.matches("-?\\d+(\\.\\d+)?") ? null : "must be a number";
                case STRING -> null;
            };
        }
    }

    public static final Setting KVM_SNAPSHOT_ENABLED = new Setting("kvm.snapshot.enabled", "Snapshots", Type.BOOLEAN,
            "true", "Whether volumes attached to a running VM may be snapshotted (listCapabilities'"
                    + " kvmsnapshotenabled); other volumes always may. There are no VMs yet, so nothing checks it.");
    public static final Setting SNAPSHOT_BACKUP_TO_SECONDARY = new Setting("snapshot.backup.to.secondary", "Snapshots",
            Type.BOOLEAN, "false", "Whether createSnapshot also backs the new snapshot up to the zone's image store in"
                    + " the same job (CloudStack's default is true; here a snapshot stays on primary until backed up on"
                    + " request with backupSnapshot).");
    public static final Setting SNAPSHOT_DELTA_MAX = new Setting("snapshot.delta.max", "Snapshots", Type.INTEGER, "16",
            "Most incremental backups in a row after a full one; the next backup is full again.");
    public static final Setting DEFAULT_PAGE_SIZE = new Setting("default.page.size", "Advanced", Type.INTEGER, "500",
            "Shown for CloudStack clients that read it; list commands take pagesize up to"
                    + " 500 (fixed) and return every row without one.");
    public static final Setting STORAGE_OVERPROVISIONING_FACTOR = new Setting("storage.overprovisioning.factor",
            "Storage", Type.DECIMAL, "2", "How much more than its real capacity may be allocated on a primary storage pool.");

    public static final Setting STORAGE_STATS_INTERVAL = new Setting("storage.stats.interval", "Storage", Type.INTEGER,
            "60000", "Milliseconds between two reads of every primary storage pool's capacity (read at start-up).");

    public static final Setting STORAGE_VOLUME_DEFERRED_DELETE_SECONDS = new Setting(
            "storage.volume.deferred.delete.seconds", "Storage", Type.INTEGER, "0",
            "Seconds a deleted volume's data stays on its primary storage before the storage may purge it (RBD: the"
                    + " image waits in the pool's trash); 0 deletes it at once. A storage plugin option such as"
                    + " rbd.deferred.delete.seconds may keep it longer. Read at each delete.");
    public static final Setting STORAGE_CLEANUP_ENABLED = new Setting("storage.cleanup.enabled", "Storage",
            Type.BOOLEAN, "true", "Whether the storage cleanup runs: it purges deleted volumes whose deferral has passed"
                    + " and settles volumes a stopped management server left mid-operation.");
    public static final Setting STORAGE_CLEANUP_INTERVAL = new Setting("storage.cleanup.interval", "Storage",
            Type.INTEGER, "300", "Seconds between two runs of the storage cleanup (CloudStack's default is 86400; a"
                    + " shorter one frees deferred deletes sooner). Read before each run.");
    public static final Setting CUSTOM_DISKOFFERING_SIZE_MIN = new Setting("custom.diskoffering.size.min", "Advanced",
            Type.INTEGER, "1", "Smallest size in GB of a volume whose size the user chooses.");
    public static final Setting CUSTOM_DISKOFFERING_SIZE_MAX = new Setting("custom.diskoffering.size.max", "Advanced",
            Type.INTEGER, "1024", "Largest size in GB of a volume whose size the user chooses.");
    public static final Setting STORAGE_MAX_VOLUME_SIZE = new Setting("storage.max.volume.size", "Storage",
            Type.INTEGER, "2000", "Largest size in GB of a disk offering.");

    public static final Setting CA_CERT_VALIDITY_PERIOD = new Setting("ca.framework.cert.validity.period", "Advanced",
            Type.INTEGER, "365", "Days a certificate issued by the built-in CA (a host's, a management server's) is"
                    + " valid. Read at each issue; provisionCertificate renews a host's.");
    public static final Setting AGENT_PLAINTEXT_ALLOWED = new Setting("agent.plaintext.allowed", "Advanced",
            Type.BOOLEAN, "false", "Whether the agent port also accepts agents over plain TCP, which present their"
                    + " addHost token on every connection and whose traffic (cephx keys included) crosses the network"
                    + " in clear text. Read at start: restart the management server after a change.");

    public static final List<Setting> ALL = List.of(KVM_SNAPSHOT_ENABLED, SNAPSHOT_BACKUP_TO_SECONDARY, SNAPSHOT_DELTA_MAX,
            DEFAULT_PAGE_SIZE, STORAGE_OVERPROVISIONING_FACTOR, STORAGE_STATS_INTERVAL,
            STORAGE_VOLUME_DEFERRED_DELETE_SECONDS, STORAGE_CLEANUP_ENABLED, STORAGE_CLEANUP_INTERVAL, CUSTOM_DISKOFFERING_SIZE_MIN, CUSTOM_DISKOFFERING_SIZE_MAX,
            STORAGE_MAX_VOLUME_SIZE, CA_CERT_VALIDITY_PERIOD, AGENT_PLAINTEXT_ALLOWED);
}
