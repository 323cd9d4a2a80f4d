package io.rbdstack.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Over-provisioning math and pool choice by tags and room. */
class StoragePoolChooserTest {

    private static final long GB = 1L << 30;
    private static final BigDecimal TWO = new BigDecimal("2");

    private static StoragePoolChooser.Candidate pool(long id, String name, Set<String> tags, Long total, long allocated) {
        return new StoragePoolChooser.Candidate(id, "uuid-" + id, name, tags, new PoolAllocation(total, allocated));
    }

    @Test
    void roomIsTotalTimesFactorMinusAllocated() {
        assertEquals(20 * GB - 3 * GB, new PoolAllocation(10 * GB, 3 * GB).room(TWO));
        assertEquals(10 * GB, new PoolAllocation(10 * GB, 0).room(BigDecimal.ONE));
        assertEquals(15 * GB, new PoolAllocation(10 * GB, 0).room(new BigDecimal("1.5")));
        // fractions of a byte are not room
        assertEquals(1, new PoolAllocation(3L, 0).room(new BigDecimal("0.5")));
        // already over (the factor was lowered, or the total shrank): no room, never negative
        assertEquals(0, new PoolAllocation(10 * GB, 25 * GB).room(TWO));
        // a total never read from the storage gives no room; nor does a factor of 0
        assertEquals(0, new PoolAllocation(null, 0).room(TWO));
        assertEquals(0, new PoolAllocation(10 * GB, 0).room(BigDecimal.ZERO));
        // huge totals do not overflow
        assertEquals(Long.MAX_VALUE, new PoolAllocation(Long.MAX_VALUE, 0).room(TWO));
    }

    @Test
    void fitsUpToExactlyTheLimit() {
        PoolAllocation pool = new PoolAllocation(10 * GB, 18 * GB);
        assertTrue(pool.fits(2 * GB, TWO), "allocated + size == total x factor fits");
        assertFalse(pool.fits(2 * GB + 1, TWO));
        assertTrue(pool.fits(0, TWO));
    }

    @Test
    void choosesThePoolWithTheMostRoomAmongThoseWithAllTheTags() {
        List<StoragePoolChooser.Candidate> pools = List.of(
                pool(1, "ssd-small", Set.of("ssd"), 10 * GB, 0),
                pool(2, "ssd-big", Set.of("ssd", "fast"), 100 * GB, 150 * GB),
                pool(3, "ssd-roomy", Set.of("ssd", "rbd"), 40 * GB, 10 * GB),
                pool(4, "hdd-huge", Set.of("hdd"), 1000 * GB, 0));
        assertEquals("ssd-roomy", StoragePoolChooser.choose("z", pools, Set.of("ssd"), GB, TWO).name());
        assertEquals("ssd-big", StoragePoolChooser.choose("z", pools, Set.of("ssd", "fast"), GB, TWO).name());
        assertEquals("hdd-huge", StoragePoolChooser.choose("z", pools, Set.of(), GB, TWO).name(), "no tags: any pool");
    }

    @Test
    void onATieTheOldestPoolWins() {
        List<StoragePoolChooser.Candidate> pools = List.of(pool(7, "b", Set.of(), 10 * GB, 0),
                pool(3, "a", Set.of(), 10 * GB, 0), pool(9, "c", Set.of(), 10 * GB, 0));
        assertEquals(3, StoragePoolChooser.choose("z", pools, Set.of(), GB, TWO).id());
    }

    @Test
    void noPoolWithTheTagsIs533NamingSizeAndTags() {
        ApiException e = assertThrows(ApiException.class, () -> StoragePoolChooser.choose("zone1",
                List.of(pool(1, "p", Set.of("ssd"), 10 * GB, 0)), Set.of("ssd", "nvme"), 3 * GB, TWO));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, e.errorCode());
        assertEquals(ApiException.CS_INSUFFICIENT_CAPACITY, e.csErrorCode());
        assertEquals("No Up primary storage pool in zone zone1 can take a volume of 3 GB (3221225472 bytes) with storage"
                + " tags nvme,ssd: no Up pool there has all these tags", e.getMessage());

        ApiException none = assertThrows(ApiException.class, () -> StoragePoolChooser.choose("zone1", List.of(),
                Set.of(), GB, TWO));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, none.errorCode());
        assertTrue(none.getMessage().endsWith(": the zone has none"), none.getMessage());
    }

    @Test
    void noRoomIs533NamingTheNeedAndTheMostRoomThereIs() {
        List<StoragePoolChooser.Candidate> pools = List.of(pool(1, "small", Set.of("ssd"), GB, 0),
                pool(2, "full", Set.of("ssd"), 10 * GB, 20 * GB));
        ApiException e = assertThrows(ApiException.class, () -> StoragePoolChooser.choose("zone1", pools,
                Set.of("ssd"), 3 * GB, TWO));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, e.errorCode());
        assertEquals("Insufficient capacity for a volume of 3 GB (3221225472 bytes) with storage tags ssd in zone zone1:"
                + " the most room left on the 2 Up pool(s) that qualify is 2 GB (2147483648 bytes) on pool small"
                + " (allocated + size may reach total x storage.overprovisioning.factor 2)", e.getMessage());
        assertEquals("small", StoragePoolChooser.choose("zone1", pools, Set.of("ssd"), 2 * GB, TWO).name(),
                "exactly the room left fits");
    }

    @Test
    void growthIsCheckedAgainstTheRoomLeft() {
        PoolAllocation pool = new PoolAllocation(4 * GB, 6 * GB);
        StoragePoolChooser.checkGrowth("p", pool, 2 * GB, TWO);
        ApiException e = assertThrows(ApiException.class, () -> StoragePoolChooser.checkGrowth("p", pool, 3 * GB, TWO));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, e.errorCode());
        assertEquals("Insufficient capacity on primary storage pool p to grow a volume by 3 GB (3221225472 bytes):"
                + " 2 GB (2147483648 bytes) room left (allocated + size may reach total x"
                + " storage.overprovisioning.factor 2)", e.getMessage());
    }

    @Test
    void poolsOverADisableThresholdTakeNoNewVolumeAndThe533SaysWhy() {
        PoolThresholds thresholds = new PoolThresholds(new BigDecimal("0.85"), new BigDecimal("0.5"));
        StoragePoolChooser.Candidate busy = new StoragePoolChooser.Candidate(1, "u1", "busy", Set.of(),
                new PoolAllocation(10 * GB, 0), 9 * GB);
        StoragePoolChooser.Candidate full = new StoragePoolChooser.Candidate(2, "u2", "full", Set.of(),
                new PoolAllocation(10 * GB, 0), 10 * GB);
        StoragePoolChooser.Candidate allocated = new StoragePoolChooser.Candidate(3, "u3", "allocated", Set.of(),
                new PoolAllocation(10 * GB, 9 * GB), 0L);
        StoragePoolChooser.Candidate fine = new StoragePoolChooser.Candidate(4, "u4", "fine", Set.of(),
                new PoolAllocation(10 * GB, 0), GB);
        assertEquals("fine", StoragePoolChooser.choose("z", List.of(busy, full, allocated, fine), List.of(), Set.of(),
                2 * GB, TWO, thresholds).name(), "the pool under both thresholds, though others have more room");

        ApiException e = assertThrows(ApiException.class, () -> StoragePoolChooser.choose("z",
                List.of(busy, full, allocated), List.of(new StoragePoolChooser.Unusable("gone", "Alert",
                        "Could not read the capacity of RBD pool gone: permission denied")), Set.of(), 2 * GB, TWO,
                thresholds));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, e.errorCode());
        assertEquals("No primary storage pool in zone z can take a volume of 2 GB (2147483648 bytes): pool busy is 90%"
                + " used, over pool.storage.capacity.disablethreshold 0.85; pool full is full (10 GB (10737418240"
                + " bytes) used of 10 GB (10737418240 bytes)); pool allocated would be 55% allocated, over"
                + " pool.storage.allocated.capacity.disablethreshold 0.5 (pool gone is Alert: Could not read the"
                + " capacity of RBD pool gone: permission denied)", e.getMessage());
    }

    @Test
    void thresholdsAlertOnTheSharesTheyNameAndAFullPoolWhatever() {
        PoolThresholds thresholds = new PoolThresholds(new BigDecimal("0.85"), new BigDecimal("0.85"));
        assertTrue(thresholds.usedOver(86, 100));
        assertFalse(thresholds.usedOver(85, 100), "at the threshold is not over it");
        assertTrue(PoolThresholds.NONE.usedOver(100, 100), "full is over any threshold");
        assertFalse(thresholds.usedOver(0, 0), "an unknown total alerts nothing");
        assertTrue(thresholds.allocatedOver(171, 100, TWO));
        assertFalse(thresholds.allocatedOver(170, 100, TWO));
        assertEquals("12.5%", PoolThresholds.percent(new BigDecimal("0.125")));
        assertEquals("0.02%", PoolThresholds.percent(new BigDecimal("0.000213")));
    }
}
