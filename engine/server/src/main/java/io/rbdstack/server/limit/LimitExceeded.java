package io.rbdstack.server.limit;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import java.util.Locale;

/** The limit arithmetic and CloudStack's texts for an allocation over a limit. */
public final class LimitExceeded {

    /** CloudStack's CSExceptionErrorCode for a ResourceAllocationException. */
    static final int CS_RESOURCE_ALLOCATION = ApiException.CS_RESOURCE_ALLOCATION;

    private LimitExceeded() {
    }

    /** Whether adding {@code requested} to {@code current} passes {@code limit} (-1: never). */
    public static boolean exceeds(long limit, long current, long requested) {
        return limit != ResourceType.UNLIMITED && current + requested > limit;
    }

    /** How much is left under a limit; -1 when unlimited, 0 when already over. */
    public static long available(long limit, long current) {
        return limit == ResourceType.UNLIMITED ? ResourceType.UNLIMITED : Math.max(0, limit - current);
    }

    static ApiException account(ResourceType type, String accountName, String domainUuid, long limit, long current,
                                long requested) {
        return refused("Maximum amount of resources of Type = '" + type.name() + "', tag = 'null' for Account Name = "
                + accountName + " in Domain Id = " + domainUuid + " is exceeded: Account Resource Limit = "
                + amount(type, limit) + ", Current Account Resource Amount = " + amount(type, current)
                + ", Current Account Resource Reservation = " + amount(type, 0) + ", Requested Resource Amount = "
                + amount(type, requested) + ".");
    }

    static ApiException domain(ResourceType type, String domainUuid, long limit, long current, long requested) {
        return refused("Maximum domain resource limits of Type '" + type.name() + "' for Domain Id = " + domainUuid
                + " is exceeded: Domain Resource Limit = " + amount(type, limit) + ", Current Domain Resource Amount = "
                + amount(type, current) + ", Current Resource Reservation = " + amount(type, 0)
                + ", Requested Resource Amount = " + amount(type, requested) + ".");
    }

    private static ApiException refused(String text) {
        return new ApiException(ApiErrorCode.ACCOUNT_RESOURCE_LIMIT_ERROR, CS_RESOURCE_ALLOCATION, text);
    }

    /** A count as it is; bytes as CloudStack shows them: "214748364800 (200.00 GB)". */
    static String amount(ResourceType type, long value) {
        return type.storage() ? value + " (" + readable(value) + ")" : String.valueOf(value);
    }

    static String readable(long bytes) {
        long kb = 1024;
        long mb = kb * 1024;
        long gb = mb * 1024;
        long tb = gb * 1024;
        if (bytes >= 0 && bytes < kb) {
            return bytes + " bytes";
        } else if (bytes < mb) {
            return String.format(Locale.ROOT, "%.2f KB", (float) bytes / kb);
        } else if (bytes < gb) {
            return String.format(Locale.ROOT, "%.2f MB", (float) bytes / mb);
        } else if (bytes < tb) {
            return String.format(Locale.ROOT, "%.2f GB", (float) bytes / gb);
        }
        return String.format(Locale.ROOT, "%.4f TB", (float) bytes / tb);
    }
}
