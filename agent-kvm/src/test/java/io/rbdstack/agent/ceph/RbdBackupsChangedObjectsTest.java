package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The object maps' changed objects become as few exact listings as they can: adjacent objects are one range, and so
 * are two with few unchanged objects between them.
 */
class RbdBackupsChangedObjectsTest {

    private static final long OBJECT = 4L << 20;
    private static final long BRIDGED = 2 * OBJECT;

    private static List<String> merged(long[]... objects) {
        List<long[]> ranges = new ArrayList<>();
        for (long[] object : objects) {
            RbdBackups.mergeInto(ranges, object[0], object[1], BRIDGED);
        }
        return ranges.stream().map(r -> r[0] + "+" + r[1]).toList();
    }

    @Test
    void adjacentObjectsAreOneRange() {
        assertEquals(List.of("0+" + 3 * OBJECT), merged(new long[] {0, OBJECT}, new long[] {OBJECT, OBJECT},
                new long[] {2 * OBJECT, OBJECT}));
    }

    @Test
    void objectsWithUpToTheBridgedBytesBetweenThemAreOneRange() {
        // Objects 0 and 3: two unchanged between them, listed with them.
        assertEquals(List.of("0+" + 4 * OBJECT), merged(new long[] {0, OBJECT}, new long[] {3 * OBJECT, OBJECT}));
    }

    @Test
    void aWiderGapStartsAnotherRange() {
        // Objects 0 and 4: three unchanged between them; then the image's last, short object right after 4.
        assertEquals(List.of("0+" + OBJECT, 4 * OBJECT + "+" + (OBJECT + 1000)), merged(new long[] {0, OBJECT},
                new long[] {4 * OBJECT, OBJECT}, new long[] {5 * OBJECT, 1000}));
    }

    @Test
    void aLoneObjectIsARangeOfItsOwn() {
        assertEquals(List.of(3 * OBJECT + "+" + OBJECT), merged(new long[] {3 * OBJECT, OBJECT}));
    }

    @Test
    void anObjectBeforeTheLastRangeIsARangeOfItsOwnNotLost() {
        assertEquals(List.of(5 * OBJECT + "+" + OBJECT, OBJECT + "+" + OBJECT), merged(new long[] {5 * OBJECT, OBJECT},
                new long[] {OBJECT, OBJECT}));
    }

    @Test
    void anObjectInsideTheLastRangeLeavesItAsItIs() {
        assertEquals(List.of("0+" + 4 * OBJECT), merged(new long[] {0, 4 * OBJECT}, new long[] {OBJECT, OBJECT}));
    }
}
