package io.rbdstack.server.settings;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Paging;
import io.rbdstack.spi.ValueType;
import java.util.List;
import java.util.Objects;

/**
 * A global setting of the {@code configuration} table, declared once here with its type and allowed
 * values, default, whether a change applies without a restart ({@code dynamic}: true only when every
 * reader reads it again at each use) and description; listConfigurations reads it,
 * updateConfiguration checks values against it and the admin guide table is made from the list.
 */
public record Setting(String name, String category, ValueType type, String defaultValue, boolean dynamic,
                      String description) {

    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!type.accepts(defaultValue)) {
            throw new IllegalArgumentException("Default '" + defaultValue + "' of setting " + name + " "
                    + type.problem(defaultValue).orElseThrow());
        }
    }

    /** Refuses, with CloudStack's 431 naming the setting and what it allows, a value its type does not allow. */
    public void checkAllowed(String value) {
        type.problem(value).ifPresent(problem -> {
            throw ApiException.invalidParameter("Invalid value '" + value + "' for parameter value: " + name + " "
                    + problem);
        });
    }

    private static final boolean DYNAMIC = true;
    private static final boolean AT_START_UP = false;
    private static final long SECONDS_PER_YEAR = 31_536_000;
    private static final long SECONDS_PER_WEEK = 604_800;
    /** 1 PB in GB: far beyond any RBD image anyone makes, yet it keeps byte counts well inside a long. */
    private static final long MAX_GB = 1_048_576;

    public static final Setting KVM_SNAPSHOT_ENABLED = new Setting("kvm.snapshot.enabled", "Snapshots",
            ValueType.flag(), "true", DYNAMIC, "Whether volumes attached to a running VM may be snapshotted"
                    + " (listCapabilities' kvmsnapshotenabled); other volumes always may. There are no VMs yet, so"
                    + " nothing checks it.");
    public static final Setting SNAPSHOT_BACKUP_TO_SECONDARY = new Setting("snapshot.backup.to.secondary", "Snapshots",
            ValueType.flag(), "false", DYNAMIC, "Whether createSnapshot also backs the new snapshot up to the zone's"
                    + " image store in the same job (CloudStack's default is true; here a snapshot stays on primary"
                    + " until backed up on request with backupSnapshot).");
    /** At most 100: a restore replays the full backup and every incremental after it. */
    public static final Setting SNAPSHOT_DELTA_MAX = new Setting("snapshot.delta.max", "Snapshots",
            ValueType.wholeNumber(0, 100), "16", DYNAMIC,
            "Most incremental backups in a row after a full one; the next backup is full again.");
    /** Clients size their pages by it, so it cannot exceed the largest page a list command takes. */
    public static final Setting DEFAULT_PAGE_SIZE = new Setting("default.page.size", "Advanced",
            ValueType.wholeNumber(1, Paging.MAX_PAGE_SIZE), "500", DYNAMIC, "Rows a list command returns without"
                    + " pagesize, or with pagesize=-1 (CloudStack's \"all\"): every list is paged, and its count says"
                    + " how many rows there are in all. A pagesize of up to 500 may be asked for.");
    /** Below 1 keeps head room on a pool (Ceph stops writing when full); above 100 is a typo, not a plan. */
    public static final Setting STORAGE_OVERPROVISIONING_FACTOR = new Setting("storage.overprovisioning.factor",
            "Storage", ValueType.decimal("0.1", "100"), "2", DYNAMIC,
            "How much more than its real capacity may be allocated on a primary storage pool.");
    /** Read before each capacity refresh: from 1 s to a day. */
    public static final Setting STORAGE_STATS_INTERVAL = new Setting("storage.stats.interval", "Storage",
            ValueType.wholeNumber(1000, 86_400_000), "60000", DYNAMIC,
            "Milliseconds between two reads of every primary storage pool's capacity. Read before each read.");
    public static final Setting STORAGE_VOLUME_DEFERRED_DELETE_SECONDS = new Setting(
            "storage.volume.deferred.delete.seconds", "Storage", ValueType.wholeNumber(0, SECONDS_PER_YEAR), "0",
            DYNAMIC, "Seconds a deleted volume's data stays on its primary storage before the storage may purge it"
                    + " (RBD: the image waits in the pool's trash); 0 deletes it at once. A storage plugin option such"
                    + " as rbd.deferred.delete.seconds may keep it longer. Read at each delete.");
    public static final Setting STORAGE_CLEANUP_ENABLED = new Setting("storage.cleanup.enabled", "Storage",
            ValueType.flag(), "true", DYNAMIC, "Whether the storage cleanup runs: it purges deleted volumes whose"
                    + " deferral has passed and settles volumes a stopped management server left mid-operation.");
    /** StorageCleanup looks at it every few seconds; at most a week, so deferred deletes are not kept for ever. */
    public static final Setting STORAGE_CLEANUP_INTERVAL = new Setting("storage.cleanup.interval", "Storage",
            ValueType.wholeNumber(1, SECONDS_PER_WEEK), "300", DYNAMIC, "Seconds between two runs of the storage"
                    + " cleanup (CloudStack's default is 86400; a shorter one frees deferred deletes sooner). Read"
                    + " before each run.");
    public static final Setting CUSTOM_DISKOFFERING_SIZE_MIN = new Setting("custom.diskoffering.size.min", "Advanced",
            ValueType.wholeNumber(1, MAX_GB), "1", DYNAMIC,
            "Smallest size in GB of a volume whose size the user chooses.");
    public static final Setting CUSTOM_DISKOFFERING_SIZE_MAX = new Setting("custom.diskoffering.size.max", "Advanced",
            ValueType.wholeNumber(1, MAX_GB), "1024", DYNAMIC,
            "Largest size in GB of a volume whose size the user chooses.");
    public static final Setting MAX_TEMPLATE_ISO_SIZE = new Setting("max.template.iso.size", "Storage",
            ValueType.wholeNumber(1, MAX_GB), "50", DYNAMIC, "Largest size in GB of a template download.");
    public static final Setting STORAGE_MAX_VOLUME_SIZE = new Setting("storage.max.volume.size", "Storage",
            ValueType.wholeNumber(1, MAX_GB), "2000", DYNAMIC, "Largest size in GB of a disk offering.");

    /** CloudStack's names and defaults; 0 forbids policies of that interval, as in CloudStack. */
    public static final Setting SNAPSHOT_MAX_HOURLY = maxSnapshots("hourly");
    public static final Setting SNAPSHOT_MAX_DAILY = maxSnapshots("daily");
    public static final Setting SNAPSHOT_MAX_WEEKLY = maxSnapshots("weekly");
    public static final Setting SNAPSHOT_MAX_MONTHLY = maxSnapshots("monthly");
    /** CloudStack's name; its default is 300, which can make a snapshot up to five minutes late. */
    public static final Setting SNAPSHOT_POLL_INTERVAL = new Setting("snapshot.poll.interval", "Snapshots",
            ValueType.wholeNumber(1, 3600), "30", DYNAMIC, "Seconds between two looks of the snapshot scheduler for"
                    + " snapshot policies whose time has come, taken at whole multiples of it on the clock (an interval"
                    + " that divides 60 looks at the start of every minute): a snapshot is taken at most this late."
                    + " Read every second.");

    /** rbdstack's own (issue 14); fractions of an hour allowed (0.01 = 36 s), at most a year. */
    public static final Setting BACKUP_VERIFY_INTERVAL = new Setting("backup.verify.interval", "Snapshots",
            ValueType.decimal("0", "8760"), "24", DYNAMIC, "Hours between two verifications of every snapshot backup:"
                    + " each file is re-read on a host of its zone and its size, SHA-256 and chain link checked; a"
                    + " damaged backup (and those built on it) goes to Error with an alert, and its volume's next backup"
                    + " is full. 0 turns the scheduled verification off (verifySnapshotBackups still runs it). Read"
                    + " before each run.");

    /**
     * CloudStack's name and meaning (snapshot work one host runs at once), here for every transfer (backups,
     * restores, flattens, template imports, verifications). CloudStack's default is unlimited; 2 here: one copy
     * stream already keeps a host's Ceph client busy (a backup reads at the OSDs' speed), so more at once mostly
     * split the same bandwidth while each holds its buffers in the agent, and the rest wait their turn.
     */
    public static final Setting CONCURRENT_SNAPSHOTS_THRESHOLD_PERHOST = new Setting(
            "concurrent.snapshots.threshold.perhost", "Snapshots", ValueType.wholeNumber(1, 64), "2", DYNAMIC,
            "Most transfers (snapshot backups, restores, flattens, template imports, backup verifications) one host"
                    + " runs at once; the others wait in a queue (their jobs show transferqueued and transfersahead)"
                    + " and start as running ones end. Creates, deletes and other commands never wait for them. Read"
                    + " at each transfer.");

    private static Setting maxSnapshots(String interval) {
        return new Setting("snapshot.max." + interval, "Snapshots", ValueType.wholeNumber(0, 1000), "8", DYNAMIC,
                "Most " + interval + " snapshots a snapshot policy may keep of a volume (its maxsnaps); when a policy"
                        + " takes one more, its oldest are deleted. 0 allows no " + interval + " policies.");
    }

    /** CloudStack's name and default; an admin re-enables the user (enableUser) once it has been disabled. */
    public static final Setting INCORRECT_LOGIN_ATTEMPTS_ALLOWED = new Setting("incorrect.login.attempts.allowed",
            "Authentication", ValueType.wholeNumber(1, 1000), "5", DYNAMIC, "Failed logins in a row after which the"
                    + " user is disabled until an admin enables it again (enableUser).");
    public static final Setting LOGIN_SOURCE_FAILURES_ALLOWED = new Setting("login.source.failures.allowed",
            "Authentication", ValueType.wholeNumber(1, 100_000), "20", DYNAMIC, "Failed logins from one source address"
                    + " within login.source.failure.window after which every login from it is refused until the window"
                    + " ends, whoever it names.");
    public static final Setting LOGIN_SOURCE_FAILURE_WINDOW = new Setting("login.source.failure.window",
            "Authentication", ValueType.wholeNumber(1, 86_400), "300", DYNAMIC, "Seconds over which failed logins"
                    + " from one source address are counted.");

    /** Days; at most ten years, CloudStack's own CA default being one. */
    public static final Setting CA_CERT_VALIDITY_PERIOD = new Setting("ca.framework.cert.validity.period", "Advanced",
            ValueType.wholeNumber(1, 3650), "365", DYNAMIC, "Days a certificate issued by the built-in CA (a host's, a"
                    + " management server's) is valid. Read at each issue; provisionCertificate renews a host's.");
    public static final Setting AGENT_PLAINTEXT_ALLOWED = new Setting("agent.plaintext.allowed", "Advanced",
            ValueType.flag(), "false", AT_START_UP, "Whether the agent port also accepts agents over plain TCP, which"
                    + " present their addHost token on every connection and whose traffic (cephx keys included) crosses"
                    + " the network in clear text. Read at start: restart the management server after a change.");
    /** CloudStack's names and defaults; a fraction of the pool, as CloudStack takes them. */
    public static final Setting POOL_STORAGE_CAPACITY_DISABLETHRESHOLD = new Setting(
            "pool.storage.capacity.disablethreshold", "Alert", ValueType.decimal("0", "1"), "0.85", DYNAMIC,
            "Share of a primary storage pool's capacity in use (as the storage reports it) from which the pool"
                    + " takes no new volumes and an alert is raised.");
    public static final Setting POOL_STORAGE_ALLOCATED_CAPACITY_DISABLETHRESHOLD = new Setting(
            "pool.storage.allocated.capacity.disablethreshold", "Alert", ValueType.decimal("0", "1"), "0.85",
            DYNAMIC, "Share of a primary storage pool's capacity x storage.overprovisioning.factor allocated to"
                    + " volumes above which the pool takes no new volume and an alert is raised.");
    /** CloudStack's notification thresholds; listStoragePoolsMetrics' storageusagethreshold and storageallocatedthreshold. */
    public static final Setting CLUSTER_STORAGE_CAPACITY_NOTIFICATIONTHRESHOLD = new Setting(
            "cluster.storage.capacity.notificationthreshold", "Alert", ValueType.decimal("0", "1"), "0.75", DYNAMIC,
            "Share of a primary storage pool's capacity in use above which listStoragePoolsMetrics flags the pool"
                    + " (storageusagethreshold), a warning before pool.storage.capacity.disablethreshold.");
    public static final Setting CLUSTER_STORAGE_ALLOCATED_CAPACITY_NOTIFICATIONTHRESHOLD = new Setting(
            "cluster.storage.allocated.capacity.notificationthreshold", "Alert", ValueType.decimal("0", "1"), "0.75",
            DYNAMIC, "Share of a primary storage pool's capacity x storage.overprovisioning.factor allocated to"
                    + " volumes above which listStoragePoolsMetrics flags the pool (storageallocatedthreshold), a"
                    + " warning before pool.storage.allocated.capacity.disablethreshold.");
    public static final Setting EVENT_PURGE_DELAY = new Setting("event.purge.delay", "Advanced",
            ValueType.wholeNumber(0, 36_500), "15", DYNAMIC,
            "Events older than this many days are purged; 0 keeps them for ever.");
    public static final Setting EVENT_PURGE_INTERVAL = new Setting("event.purge.interval", "Advanced",
            ValueType.wholeNumber(1, SECONDS_PER_YEAR), "86400", DYNAMIC,
            "Seconds between two purges of old events. Read before each purge.");
    public static final Setting ALERT_PURGE_DELAY = new Setting("alert.purge.delay", "Alert",
            ValueType.wholeNumber(0, 36_500), "0", DYNAMIC,
            "Alerts older than this many days are purged; 0 keeps them for ever.");
    public static final Setting ALERT_PURGE_INTERVAL = new Setting("alert.purge.interval", "Alert",
            ValueType.wholeNumber(1, SECONDS_PER_YEAR), "86400", DYNAMIC,
            "Seconds between two purges of old alerts. Read before each purge.");
    public static final Setting JOB_EXPIRE_MINUTES = new Setting("job.expire.minutes", "Advanced",
            ValueType.wholeNumber(1, 525_600), "1440", DYNAMIC,
            "Minutes a finished async job is kept (queryAsyncJobResult, listAsyncJobs) before it is purged.");
    /** CloudStack's default limits; -1 = unlimited. Counts for volumes and snapshots, GiB for storage. */
    private static final long MAX_COUNT = 1_000_000_000;
    public static final Setting MAX_ACCOUNT_VOLUMES = limit("max.account.volumes", "20",
            "The default maximum number of volumes an account can have; -1 = unlimited.");
    public static final Setting MAX_ACCOUNT_SNAPSHOTS = limit("max.account.snapshots", "20",
            "The default maximum number of snapshots an account can have; -1 = unlimited.");
    public static final Setting MAX_ACCOUNT_PRIMARY_STORAGE = limit("max.account.primary.storage", "200",
            "The default maximum primary storage space (in GiB) an account's volumes can take; -1 = unlimited.");
    public static final Setting MAX_ACCOUNT_SECONDARY_STORAGE = limit("max.account.secondary.storage", "400",
            "The default maximum secondary storage space (in GiB) an account's snapshot backups can take; -1 ="
                    + " unlimited.");
    public static final Setting MAX_DOMAIN_VOLUMES = limit("max.domain.volumes", "40",
            "The default maximum number of volumes the accounts of a domain and its subdomains can have; -1 ="
                    + " unlimited.");
    public static final Setting MAX_DOMAIN_SNAPSHOTS = limit("max.domain.snapshots", "40",
            "The default maximum number of snapshots the accounts of a domain and its subdomains can have; -1 ="
                    + " unlimited.");
    public static final Setting MAX_DOMAIN_PRIMARY_STORAGE = limit("max.domain.primary.storage", "400",
            "The default maximum primary storage space (in GiB) a domain and its subdomains can take; -1 = unlimited.");
    public static final Setting MAX_DOMAIN_SECONDARY_STORAGE = limit("max.domain.secondary.storage", "800",
            "The default maximum secondary storage space (in GiB) a domain and its subdomains can take; -1 ="
                    + " unlimited.");

    /** Byte 1 of every guest NIC MAC (02:<this>:…): clouds sharing a layer-2 segment each take their own. */
    public static final Setting MAC_IDENTIFIER = new Setting("mac.identifier", "Network",
            ValueType.wholeNumber(0, 255), "0", DYNAMIC, "The second byte of the MAC addresses of guest NICs,"
                    + " 02:<this in hex>:<a 32-bit sequence of the zone>: give each cloud sharing a layer-2 network its own."
                    + " Read at each NIC allocation.");
    /** A Linux interface name: at most 15 characters (IFNAMSIZ), none that ip-link or a path would trip on. */
    private static final ValueType INTERFACE_NAME = ValueType.matching("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}",
            "a Linux interface name of 1 to 15 letters, digits, '_', '.' or '-'");
    public static final Setting GUEST_NETWORK_DEVICE = new Setting("guest.network.device", "Network", INTERFACE_NAME,
            "cloudbr0", DYNAMIC, "The Linux bridge a guest network without a VLAN joins when createNetwork names none"
                    + " (CloudStack's KVM name for the guest traffic bridge). Read at each createNetwork.");
    public static final Setting GUEST_NETWORK_UPLINK = new Setting("guest.network.uplink", "Network", INTERFACE_NAME,
            "eth0", DYNAMIC, "The host interface a guest network's VLAN is tagged on when createNetwork names none; the"
                    + " network's bridge is then br<uplink>-<vlan> (CloudStack's KVM naming). Read at each createNetwork.");

    private static Setting limit(String name, String defaultValue, String description) {
        return new Setting(name, "Account Defaults", ValueType.wholeNumber(-1, MAX_COUNT), defaultValue, DYNAMIC,
                description);
    }

    /** CloudStack has no such setting (it waits for the guest as long as the hypervisor does); here it is bounded. */
    public static final Setting VM_STOP_TIMEOUT_SECONDS = new Setting("vm.stop.timeout.seconds", "Advanced",
            ValueType.wholeNumber(1, 3600), "120", DYNAMIC, "Seconds a graceful stopVirtualMachine waits for the"
                    + " guest to power off (ACPI, the power button pressed again every 10 s) before the agent forces it off.");
    /** At most the agent heartbeat (10 s by default), so a VM that died shows Stopped within that bound. */
    public static final Setting VM_SYNC_INTERVAL = new Setting("vm.sync.interval", "Advanced",
            ValueType.wholeNumber(1, 3600), "10", DYNAMIC, "Seconds between two polls of every Up host for the"
                    + " power state of its VMs; a VM the database has Running but its host no longer runs becomes"
                    + " Stopped (event VM.STOP, alert ALERT.TYPE.SYNC).");
    public static final Setting CPU_OVERPROVISIONING_FACTOR = new Setting("cpu.overprovisioning.factor", "Advanced",
            ValueType.decimal("0.1", "100"), "1", DYNAMIC, "Used to overprovision a host's CPU: VMs may be placed on"
                    + " a host until the sum of their cores x speed reaches its cores x speed x this factor.");
    public static final Setting MEM_OVERPROVISIONING_FACTOR = new Setting("mem.overprovisioning.factor", "Advanced",
            ValueType.decimal("0.1", "100"), "1", DYNAMIC, "Used to overprovision a host's memory: VMs may be placed"
                    + " on a host until the sum of their memory reaches its memory x this factor.");
    public static final Setting ALLOW_USER_EXPUNGE_RECOVER_VM = new Setting("allow.user.expunge.recover.vm",
            "Advanced", ValueType.flag(), "false", DYNAMIC, "Whether users (not only admins) may expunge a VM when"
                    + " destroying it and recover a destroyed VM.");
    public static final Setting VM_DESTROY_FORCESTOP = new Setting("vm.destroy.forcestop", "Advanced",
            ValueType.flag(), "false", DYNAMIC, "Whether destroyVirtualMachine forces a running VM off rather than"
                    + " asking the guest to power off first.");
    public static final Setting VM_SNAPSHOT_MAX = new Setting("vmsnapshot.max", "Advanced",
            ValueType.wholeNumber(1, 1000), "10", DYNAMIC, "Maximum VM snapshots for a single VM.");

    /**
     * DHCPv6 (issue 13): V17 inserts these rows with the same defaults and descriptions, so an upgraded
     * database has them before the first start; an admin's value is kept. Kea's timers in seconds.
     */
    public static final Setting DHCPV6_RENEW_TIMER = dhcpv6Seconds("dhcpv6.renew.timer", "1000",
            "Seconds after which a DHCPv6 client renews its address with the server that gave it (T1).");
    public static final Setting DHCPV6_REBIND_TIMER = dhcpv6Seconds("dhcpv6.rebind.timer", "2000",
            "Seconds after which a DHCPv6 client that could not renew asks any server (T2).");
    public static final Setting DHCPV6_PREFERRED_LIFETIME = dhcpv6Seconds("dhcpv6.preferred.lifetime", "3000",
            "Seconds a DHCPv6 address or delegated prefix stays preferred.");
    public static final Setting DHCPV6_VALID_LIFETIME = dhcpv6Seconds("dhcpv6.valid.lifetime", "4000",
            "Seconds a DHCPv6 address or delegated prefix stays valid.");
    /** Kea's mac-sources names; "duid" is the one that works for KVM guests' locally administered MACs. */
    public static final Setting DHCPV6_MAC_SOURCES = new Setting("dhcpv6.mac.sources", "Network",
            ValueType.matching("(any|raw|duid|ipv6-link-local|client-link-addr-option|remote-id|subscriber-id|docsis"
                    + "-cmts|docsis-modem)(,(any|raw|duid|ipv6-link-local|client-link-addr-option|remote-id|subscriber-id"
                    + "|docsis-cmts|docsis-modem))*", "Kea mac-sources names separated by commas (e.g. duid)"),
            "duid", DYNAMIC, "Where Kea learns a client's MAC (its mac-sources, comma-separated).");
    public static final Setting DHCPV6_PD_DELEGATED_LENGTH = new Setting("dhcpv6.pd.delegated.length", "Network",
            ValueType.wholeNumber(1, 128), "64", DYNAMIC, "Length of the prefixes delegated from a network's"
                    + " prefix-delegation pool when createNetwork gives none.");
    /**
     * Path and lease store of Kea on the hosts, sent with every network (dhcp.applyNetwork); a host whose
     * agent.properties sets dhcp.control.socket keeps its own path. A unix socket path holds at most 107 bytes.
     */
    public static final Setting DHCPV6_KEA_CONTROL_SOCKET = new Setting("dhcpv6.kea.control.socket", "Network",
            ValueType.matching("/[^\\s]{1,106}", "an absolute path without spaces of at most 107 characters"),
            "/var/lib/rbdstack/dhcp/kea6-ctrl.sock", DYNAMIC, "Path of Kea's control socket on the hosts.");
    /** Kea's MySQL and PostgreSQL lease backends need a database and its credentials on every host: not run here. */
    public static final Setting DHCPV6_LEASE_DATABASE_TYPE = new Setting("dhcpv6.lease.database.type", "Network",
            ValueType.matching("memfile", "one of: memfile (the only lease store the agents run)"), "memfile",
            DYNAMIC, "Kea's lease database type on the hosts.");

    private static Setting dhcpv6Seconds(String name, String defaultValue, String description) {
        return new Setting(name, "Network", ValueType.wholeNumber(1, 4_294_967_295L), defaultValue, DYNAMIC,
                description);
    }

    /** Cinder's rbd_max_clone_depth: a long chain of clones slows every read that falls through to a parent. */
    public static final Setting RBD_MAX_CLONE_DEPTH = new Setting("rbd.max.clone.depth", "Storage",
            ValueType.wholeNumber(0, 16), "5", DYNAMIC, "Most clones in a row behind a volume made from a snapshot"
                    + " on RBD primary storage (a clone of a template or of a snapshot counts one, a clone of that"
                    + " clone's snapshot two, and so on). A new volume past it is still an instant clone, and is"
                    + " flattened at once in a flattenVolume job of its own; 0 flattens every volume made from a"
                    + " snapshot. Read at each createVolume.");

    public static final List<Setting> ALL = List.of(KVM_SNAPSHOT_ENABLED, SNAPSHOT_BACKUP_TO_SECONDARY,
            SNAPSHOT_DELTA_MAX, DEFAULT_PAGE_SIZE, STORAGE_OVERPROVISIONING_FACTOR, STORAGE_STATS_INTERVAL,
            STORAGE_VOLUME_DEFERRED_DELETE_SECONDS, STORAGE_CLEANUP_ENABLED, STORAGE_CLEANUP_INTERVAL,
            CUSTOM_DISKOFFERING_SIZE_MIN, CUSTOM_DISKOFFERING_SIZE_MAX, STORAGE_MAX_VOLUME_SIZE, MAX_TEMPLATE_ISO_SIZE,
            INCORRECT_LOGIN_ATTEMPTS_ALLOWED, LOGIN_SOURCE_FAILURES_ALLOWED, LOGIN_SOURCE_FAILURE_WINDOW,
            CA_CERT_VALIDITY_PERIOD, AGENT_PLAINTEXT_ALLOWED,
            POOL_STORAGE_CAPACITY_DISABLETHRESHOLD, POOL_STORAGE_ALLOCATED_CAPACITY_DISABLETHRESHOLD,
            CLUSTER_STORAGE_CAPACITY_NOTIFICATIONTHRESHOLD, CLUSTER_STORAGE_ALLOCATED_CAPACITY_NOTIFICATIONTHRESHOLD,
            EVENT_PURGE_DELAY, EVENT_PURGE_INTERVAL, ALERT_PURGE_DELAY, ALERT_PURGE_INTERVAL, JOB_EXPIRE_MINUTES,
            MAX_ACCOUNT_VOLUMES, MAX_ACCOUNT_SNAPSHOTS, MAX_ACCOUNT_PRIMARY_STORAGE, MAX_ACCOUNT_SECONDARY_STORAGE,
            MAX_DOMAIN_VOLUMES, MAX_DOMAIN_SNAPSHOTS, MAX_DOMAIN_PRIMARY_STORAGE, MAX_DOMAIN_SECONDARY_STORAGE,
            SNAPSHOT_MAX_HOURLY, SNAPSHOT_MAX_DAILY, SNAPSHOT_MAX_WEEKLY, SNAPSHOT_MAX_MONTHLY, SNAPSHOT_POLL_INTERVAL,
            MAC_IDENTIFIER, GUEST_NETWORK_DEVICE, GUEST_NETWORK_UPLINK,
            // the VM lifecycle's
            VM_STOP_TIMEOUT_SECONDS, VM_SYNC_INTERVAL, CPU_OVERPROVISIONING_FACTOR, MEM_OVERPROVISIONING_FACTOR,
            ALLOW_USER_EXPUNGE_RECOVER_VM, VM_DESTROY_FORCESTOP,
            // VM snapshots'
            VM_SNAPSHOT_MAX,
            // verified backups'
            BACKUP_VERIFY_INTERVAL,
            // per-host transfer workers'
            CONCURRENT_SNAPSHOTS_THRESHOLD_PERHOST,
            // DHCPv6 (V17 inserts the rows)
            DHCPV6_RENEW_TIMER, DHCPV6_REBIND_TIMER, DHCPV6_PREFERRED_LIFETIME, DHCPV6_VALID_LIFETIME,
            DHCPV6_MAC_SOURCES, DHCPV6_PD_DELEGATED_LENGTH, DHCPV6_KEA_CONTROL_SOCKET, DHCPV6_LEASE_DATABASE_TYPE,
            // volumes cloned from snapshots'
            RBD_MAX_CLONE_DEPTH);
}
