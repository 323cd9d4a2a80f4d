package io.rbdstack.server.capacity;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * listCapacity's arithmetic: storage figures summed per zone, pod or cluster, as CloudStack's capacity
 * types count them. Primary storage used (2) against the pools' real total; primary storage allocated (3)
 * against that total times the overprovisioning factor; secondary storage (6) per zone only.
 */
public final class CapacityCalculator {

    /** CloudStack's capacity types that storage has. */
    public enum Type {
        STORAGE(2), STORAGE_ALLOCATED(3), SECONDARY_STORAGE(6);

        private final int number;

        Type(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        static Optional<Type> byNumber(int number) {
            for (Type type : values()) {
                if (type.number == number) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    /** How finely figures are summed. */
    public enum Level { ZONE, POD, CLUSTER }

    /** Where a pool or store is: its zone and, for cluster-scoped pools, its pod and cluster. */
    public record Place(String zoneId, String zoneName, String podId, String podName, String clusterId,
                        String clusterName) {
    }

    /** A primary storage pool's figures in bytes (0 for a total never read). */
    public record PoolFigures(Place place, long totalBytes, long usedBytes, long allocatedBytes) {
    }

    /** An image store's figures in bytes. */
    public record StoreFigures(Place place, long totalBytes, long usedBytes) {
    }

    /** One line of listCapacity, with CloudStack's field names. */
    public record CapacityView(int type, String name, String zoneid, String zonename, String podid, String podname,
                               String clusterid, String clustername, long capacityused, long capacitytotal,
                               String percentused) {
    }

    private CapacityCalculator() {
    }

    /**
     * @param type only this capacity type, when given
     * @param byUsage sort by percent used, highest first (CloudStack's sortby=usage); else by type and place
     */
    public static List<CapacityView> capacities(List<PoolFigures> pools, List<StoreFigures> stores, BigDecimal factor,
                                                Level level, Optional<Integer> type, boolean byUsage) {
        List<Type> types = type.map(n -> Type.byNumber(n).map(List::of).orElse(List.of()))
                .orElse(List.of(Type.values()));
        List<CapacityView> lines = new ArrayList<>();
        for (Type t : types) {
            switch (t) {
                case STORAGE -> lines.addAll(sum(t, level, pools.stream().filter(p -> inLevel(p.place(), level))
                        .toList(), PoolFigures::place, PoolFigures::usedBytes, PoolFigures::totalBytes));
                case STORAGE_ALLOCATED -> lines.addAll(sum(t, level, pools.stream()
                        .filter(p -> inLevel(p.place(), level)).toList(), PoolFigures::place,
                        PoolFigures::allocatedBytes, p -> overprovisioned(p.totalBytes(), factor)));
                case SECONDARY_STORAGE -> {
                    if (level == Level.ZONE) {
                        lines.addAll(sum(t, level, stores, StoreFigures::place, StoreFigures::usedBytes,
                                StoreFigures::totalBytes));
                    }
                }
            }
        }
        if (byUsage) {
            lines.sort(Comparator.comparing((CapacityView c) -> ratio(c.capacityused(), c.capacitytotal())).reversed());
        }
        return lines;
    }

    /** Zone-scoped pools are in no pod or cluster: they count at zone level only. */
    private static boolean inLevel(Place place, Level level) {
        return level == Level.ZONE || place.clusterId() != null;
    }

    private static <T> List<CapacityView> sum(Type type, Level level, List<T> items, Function<T, Place> place,
                                              Function<T, Long> used, Function<T, Long> total) {
        Map<Place, long[]> sums = new LinkedHashMap<>();
        for (T item : items) {
            long[] figures = sums.computeIfAbsent(at(place.apply(item), level), p -> new long[2]);
            figures[0] += used.apply(item);
            figures[1] += total.apply(item);
        }
        List<CapacityView> lines = new ArrayList<>();
        sums.forEach((p, f) -> lines.add(new CapacityView(type.number(), type.name(), p.zoneId(), p.zoneName(),
                p.podId(), p.podName(), p.clusterId(), p.clusterName(), f[0], f[1], percent(f[0], f[1]))));
        return lines;
    }

    /** The place at the level asked for: a pool's cluster and pod are dropped for zone-level lines. */
    private static Place at(Place place, Level level) {
        return switch (level) {
            case ZONE -> new Place(place.zoneId(), place.zoneName(), null, null, null, null);
            case POD -> new Place(place.zoneId(), place.zoneName(), place.podId(), place.podName(), null, null);
            case CLUSTER -> place;
        };
    }

    static long overprovisioned(long totalBytes, BigDecimal factor) {
        return factor.multiply(BigDecimal.valueOf(totalBytes)).longValue();
    }

    private static double ratio(long used, long total) {
        return total == 0 ? 0 : (double) used / total;
    }

    /** CloudStack's percentused: up to two decimals, "0" when there is no total. */
    static String percent(long used, long total) {
        DecimalFormat format = new DecimalFormat("#.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(ratio(used, total) * 100);
    }
}
