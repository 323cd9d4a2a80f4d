package io.rbdstack.server.api;

/**
 * What an id parameter names: the table its uuid is looked up in and, for entities accounts own, the
 * owner column the access check reads (domains are owned by the domain tree itself).
 */
public enum Entity {
    NONE(null, null, null),
    ZONE("zone", "data_center", null),
    POD("pod", "host_pod_ref", null),
    CLUSTER("cluster", "cluster", null),
    HOST("host", "host", null),
    STORAGE_POOL("storage pool", "storage_pool", null),
    IMAGE_STORE("image store", "image_store", null),
    DISK_OFFERING("disk offering", "disk_offering", null),
    SERVICE_OFFERING("service offering", "service_offering", null),
    TEMPLATE("template", "vm_template", "account_id"),
    NETWORK_OFFERING("network offering", "network_offering", null),
    // shared networks serve a domain: no account owns them
    NETWORK("network", "networks", null),
    GUEST_IPV6_PREFIX("guest network IPv6 prefix", "dc_ip6_guest_prefix", null),
    VOLUME("volume", "volumes", "account_id"),
    SNAPSHOT("snapshot", "snapshots", "account_id"),
    VIRTUAL_MACHINE("virtual machine", "vm_instance", "account_id"),
    VM_SNAPSHOT("VM snapshot", "vm_snapshots", "account_id"),
    SNAPSHOT_POLICY("snapshot policy", "snapshot_policy", "account_id"),
    DOMAIN("domain", "domain", null),
    ACCOUNT("account", "account", "id"),
    USER("user", "user", "account_id"),
    ASYNC_JOB("job", "async_job", "account_id"),
    EVENT("event", "event", "account_id"),
    ALERT("alert", "alert", null),
    MANAGEMENT_SERVER("management server", "mshost", null);

    private final String displayName;
    private final String table;
    private final String ownerColumn;

    Entity(String displayName, String table, String ownerColumn) {
        this.displayName = displayName;
        this.table = table;
        this.ownerColumn = ownerColumn;
    }

    /** How error texts name it: "volume", "storage pool". */
    public String displayName() {
        return displayName;
    }

    public String table() {
        return table;
    }

    /** The column holding the owning account's id, or null when no account owns it. */
    public String ownerColumn() {
        return ownerColumn;
    }

    /** Whether the access rule applies to its ids ({@link Param#acl()}): accounts or the domain tree own it. */
    public boolean owned() {
        return ownerColumn != null || this == DOMAIN;
    }
}
