package io.rbdstack.server.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limit arithmetic: when an allocation passes a limit, units, CloudStack's texts and the response figures. */
class LimitArithmeticTest {

    private static final long GIB = ResourceType.GIB;

    @Test
    void anAllocationExceedsOnlyWhatItWouldPass() {
        assertFalse(LimitExceeded.exceeds(2, 1, 1), "reaching the limit exactly is allowed");
        assertTrue(LimitExceeded.exceeds(2, 2, 1));
        assertTrue(LimitExceeded.exceeds(0, 0, 1), "a limit of 0 allows nothing");
        assertFalse(LimitExceeded.exceeds(ResourceType.UNLIMITED, Long.MAX_VALUE / 2, 1));
        assertEquals(3, LimitExceeded.available(5, 2));
        assertEquals(0, LimitExceeded.available(5, 9), "over a limit lowered below the usage: nothing left");
        assertEquals(ResourceType.UNLIMITED, LimitExceeded.available(ResourceType.UNLIMITED, 9));
    }

    @Test
    void storageLimitsAreGivenInGibAndKeptInBytes() {
        assertEquals(200 * GIB, ResourceType.primary_storage.fromApi(200));
        assertEquals(ResourceType.UNLIMITED, ResourceType.primary_storage.fromApi(-1));
        assertEquals(7, ResourceType.volume.fromApi(7), "counts stay counts");
        assertEquals(2, ResourceType.secondary_storage.toApi(GIB + 1), "shown rounded up to whole GiB");
        assertThrows(ArithmeticException.class, () -> ResourceType.primary_storage.fromApi(Long.MAX_VALUE / 2));
        assertEquals(Optional.of(ResourceType.secondary_storage), ResourceType.byNumber(11));
        assertEquals(Optional.empty(), ResourceType.byNumber(0), "VMs are not limited here");
    }

    @Test
    void refusalsCarryCloudStacksTextAnd532() {
        ApiException account = LimitExceeded.account(ResourceType.primary_storage, "bob", "dom-uuid", 2 * GIB, GIB,
                3 * GIB / 2);
        assertEquals(ApiErrorCode.ACCOUNT_RESOURCE_LIMIT_ERROR, account.errorCode());
        assertEquals(4370, account.csErrorCode());
        assertEquals("Maximum amount of resources of Type = 'primary_storage', tag = 'null' for Account Name = bob in"
                + " Domain Id = dom-uuid is exceeded: Account Resource Limit = 2147483648 (2.00 GB), Current Account"
                + " Resource Amount = 1073741824 (1.00 GB), Current Account Resource Reservation = 0 (0 bytes),"
                + " Requested Resource Amount = 1610612736 (1.50 GB).", account.getMessage());
        assertEquals("Maximum domain resource limits of Type 'volume' for Domain Id = d is exceeded: Domain Resource"
                + " Limit = 4, Current Domain Resource Amount = 4, Current Resource Reservation = 0, Requested Resource"
                + " Amount = 1.", LimitExceeded.domain(ResourceType.volume, "d", 4, 4, 1).getMessage());
        assertEquals("512 bytes", LimitExceeded.readable(512));
        assertEquals("1.50 KB", LimitExceeded.readable(1536));
        assertEquals("2.0000 TB", LimitExceeded.readable(2L << 40));
    }

    @Test
    void domainsAreCheckedFromTheAccountsOwnUpToBelowRoot() {
        assertEquals(List.of("/a/b/", "/a/"), ResourceLimitEnforcer.limitedDomains("/a/b/"),
                "deepest first: the order every allocation locks them in");
        assertEquals(List.of(), ResourceLimitEnforcer.limitedDomains("/"), "ROOT is never limited");
        assertEquals("/a/", Limits.parent("/a/b/"));
        assertEquals("/", Limits.parent("/a/"));
    }

    @Test
    void summariesShowStorageInGibAndUnlimitedAsCloudStackDoes() {
        Map<ResourceType, Long> limits = new EnumMap<>(ResourceType.class);
        limits.put(ResourceType.volume, 20L);
        limits.put(ResourceType.snapshot, ResourceType.UNLIMITED);
        limits.put(ResourceType.primary_storage, 10 * GIB);
        limits.put(ResourceType.secondary_storage, 4 * GIB);
        Map<ResourceType, Long> used = new EnumMap<>(ResourceType.class);
        used.put(ResourceType.volume, 3L);
        used.put(ResourceType.snapshot, 5L);
        used.put(ResourceType.primary_storage, 3 * GIB);
        used.put(ResourceType.secondary_storage, GIB / 2);
        ResourceSummary summary = ResourceSummary.of(limits, used);
        assertEquals("20", summary.volumelimit());
        assertEquals("17", summary.volumeavailable());
        assertEquals("Unlimited", summary.snapshotlimit());
        assertEquals("Unlimited", summary.snapshotavailable());
        assertEquals(5, summary.snapshottotal());
        assertEquals("10", summary.primarystoragelimit());
        assertEquals(3, summary.primarystoragetotal());
        assertEquals("7", summary.primarystorageavailable());
        assertEquals(0.5f, summary.secondarystoragetotal());
        assertEquals("3.5", summary.secondarystorageavailable());
    }
}
