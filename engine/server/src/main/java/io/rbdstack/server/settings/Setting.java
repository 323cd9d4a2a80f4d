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
        String problem(String value) {
            return switch (this) {
                case BOOLEAN -> value.equals("true") || value.equals("false") ? null : "must be true or false";
                case INTEGER -> value.matches("-?\\d{1,18}") ? null : "must be a whole number";
                case DECIMAL -> value.matches("-?\\d+(\\.\\d+)?") ? null : "must be a number";
                case STRING -> null;
            };
        }
    }

    public static final Setting KVM_SNAPSHOT_ENABLED = new Setting("kvm.snapshot.enabled", "Snapshots", Type.BOOLEAN,
            "true", "Whether volume snapshots are allowed on KVM hosts.");
    public static final Setting SNAPSHOT_BACKUP_TO_SECONDARY = new Setting("snapshot.backup.to.secondary", "Snapshots",
            Type.BOOLEAN, "false", "Whether a new snapshot is also backed up to secondary storage at once.");
    public static final Setting DEFAULT_PAGE_SIZE = new Setting("default.page.size", "Advanced", Type.INTEGER, "500",
            "Largest page a list command returns.");
    public static final Setting STORAGE_OVERPROVISIONING_FACTOR = new Setting("storage.overprovisioning.factor",
            "Storage", Type.DECIMAL, "2", "How much more than its real capacity may be allocated on a primary storage pool.");

    public static final Setting STORAGE_STATS_INTERVAL = new Setting("storage.stats.interval", "Storage", Type.INTEGER,
            "60000", "Milliseconds between two reads of every primary storage pool's capacity (read at start-up).");

    public static final List<Setting> ALL = List.of(KVM_SNAPSHOT_ENABLED, SNAPSHOT_BACKUP_TO_SECONDARY,
            DEFAULT_PAGE_SIZE, STORAGE_OVERPROVISIONING_FACTOR, STORAGE_STATS_INTERVAL);
}
