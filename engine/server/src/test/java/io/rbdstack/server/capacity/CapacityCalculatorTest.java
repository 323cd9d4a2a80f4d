package io.rbdstack.server.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.server.capacity.CapacityCalculator.CapacityView;
import io.rbdstack.server.capacity.CapacityCalculator.Level;
import io.rbdstack.server.capacity.CapacityCalculator.Place;
import io.rbdstack.server.capacity.CapacityCalculator.PoolFigures;
import io.rbdstack.server.capacity.CapacityCalculator.StoreFigures;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** listCapacity's sums per zone, pod and cluster, CloudStack's capacity types and its percentused text. */
class CapacityCalculatorTest {

    private static final long GIB = 1L << 30;
    private static final Place ZONE_POOL = new Place("z1", "zone-1", null, null, null, null);
    private static final Place CLUSTER_POOL = new Place("z1", "zone-1", "p1", "pod-1", "c1", "cluster-1");
    private static final Place OTHER_ZONE = new Place("z2", "zone-2", null, null, null, null);
    private static final List<PoolFigures> POOLS = List.of(
            new PoolFigures(ZONE_POOL, 100 * GIB, 10 * GIB, 30 * GIB),
            new PoolFigures(CLUSTER_POOL, 50 * GIB, 20 * GIB, 10 * GIB),
            new PoolFigures(OTHER_ZONE, 10 * GIB, 9 * GIB, 0));
    private static final List<StoreFigures> STORES = List.of(new StoreFigures(ZONE_POOL, 200 * GIB, 50 * GIB));
    private static final BigDecimal TWO = new BigDecimal("2");

    @Test
    void zoneLinesSumEveryPoolOfTheZoneAndItsImageStores() {
        List<CapacityView> lines = CapacityCalculator.capacities(POOLS, STORES, TWO, Level.ZONE, Optional.empty(),
                false);
        assertEquals(5, lines.size(), lines.toString());
        CapacityView used = lines.get(0);
        assertEquals(2, used.type());
        assertEquals("STORAGE", used.name());
        assertEquals("z1", used.zoneid());
        assertEquals(30 * GIB, used.capacityused());
        assertEquals(150 * GIB, used.capacitytotal(), "used is against the real total");
        assertEquals("20", used.percentused());
        CapacityView allocated = lines.get(2);
        assertEquals(3, allocated.type());
        assertEquals(40 * GIB, allocated.capacityused());
        assertEquals(300 * GIB, allocated.capacitytotal(), "allocated is against the total times the factor");
        assertEquals("13.33", allocated.percentused());
        CapacityView secondary = lines.get(4);
        assertEquals(6, secondary.type());
        assertEquals("SECONDARY_STORAGE", secondary.name());
        assertEquals("25", secondary.percentused());
    }

    @Test
    void podAndClusterLinesHaveOnlyClusterScopedPoolsAndNoSecondaryStorage() {
        List<CapacityView> pod = CapacityCalculator.capacities(POOLS, STORES, TWO, Level.POD, Optional.empty(), false);
        assertEquals(2, pod.size(), pod.toString());
        assertEquals("p1", pod.get(0).podid());
        assertEquals(null, pod.get(0).clusterid());
        assertEquals("40", pod.get(0).percentused());
        List<CapacityView> cluster = CapacityCalculator.capacities(POOLS, STORES, TWO, Level.CLUSTER, Optional.of(3),
                false);
        assertEquals(1, cluster.size());
        assertEquals("cluster-1", cluster.get(0).clustername());
        assertEquals("10", cluster.get(0).percentused());
    }

    @Test
    void typesAreFilteredSortedByUsageAndEmptyTotalsAreZeroPercent() {
        assertEquals(List.of(), CapacityCalculator.capacities(POOLS, STORES, TWO, Level.ZONE, Optional.of(0), false),
                "memory is not counted here");
        List<CapacityView> byUsage = CapacityCalculator.capacities(POOLS, STORES, TWO, Level.ZONE, Optional.of(2),
                true);
        assertEquals("z2", byUsage.get(0).zoneid(), "90% used comes first");
        assertEquals("90", byUsage.get(0).percentused());
        assertEquals("0", CapacityCalculator.percent(5, 0));
        assertEquals("33.33", CapacityCalculator.percent(1, 3));
        assertEquals(3 * GIB / 2, CapacityCalculator.overprovisioned(GIB, new BigDecimal("1.5")));
    }
}
