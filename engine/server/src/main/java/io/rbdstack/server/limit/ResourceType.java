package io.rbdstack.server.limit;

import io.rbdstack.server.settings.Setting;
import java.util.Arrays;
import java.util.Optional;

/**
 * The resource types rbdstack limits, with CloudStack's names and numbers (listResourceLimits'
 * {@code resourcetype} and {@code resourcetypename}). Storage types count bytes and take limits in GiB.
 */
public enum ResourceType {
    volume(2, false, Setting.MAX_ACCOUNT_VOLUMES, Setting.MAX_DOMAIN_VOLUMES),
    snapshot(3, false, Setting.MAX_ACCOUNT_SNAPSHOTS, Setting.MAX_DOMAIN_SNAPSHOTS),
    primary_storage(10, true, Setting.MAX_ACCOUNT_PRIMARY_STORAGE, Setting.MAX_DOMAIN_PRIMARY_STORAGE),
    secondary_storage(11, true, Setting.MAX_ACCOUNT_SECONDARY_STORAGE, Setting.MAX_DOMAIN_SECONDARY_STORAGE);

    public static final long GIB = 1L << 30;
    public static final long UNLIMITED = -1;

    private final int number;
    private final boolean storage;
    private final Setting accountDefault;
    private final Setting domainDefault;

    ResourceType(int number, boolean storage, Setting accountDefault, Setting domainDefault) {
        this.number = number;
        this.storage = storage;
        this.accountDefault = accountDefault;
        this.domainDefault = domainDefault;
    }

    /** CloudStack's number for the type. */
    public int number() {
        return number;
    }

    /** Whether it counts bytes (limits are given and shown in GiB). */
    public boolean storage() {
        return storage;
    }

    public Setting accountDefault() {
        return accountDefault;
    }

    public Setting domainDefault() {
        return domainDefault;
    }

    public static Optional<ResourceType> byNumber(int number) {
        return Arrays.stream(values()).filter(t -> t.number == number).findFirst();
    }

    public static Optional<ResourceType> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
    }

    /** A limit as the API gives it (GiB for storage) in the unit it is counted in; -1 stays unlimited. */
    public long fromApi(long max) {
        return storage && max != UNLIMITED ? Math.multiplyExact(max, GIB) : max;
    }

    /** A limit in the API's unit (whole GiB for storage, rounded up as CloudStack does). */
    public long toApi(long max) {
        return storage && max != UNLIMITED ? (max + GIB - 1) / GIB : max;
    }
}
