package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The object maps' changed objects become as few exact listings as they can: adjacent objects are one range. */
class RbdBackupsChangedObjectsTest {

    private static final long OBJECT = 4L << 20;

    @Test
    void adjacentObjectsMergeAndAGapStartsAnotherRange() {
        List<long[]> ranges = new ArrayList<>();
        RbdBackups.mergeInto(ranges, 0, OBJECT);
        RbdBackups.mergeInto(ranges, OBJECT, OBJECT);
        RbdBackups.mergeInto(ranges, 5 * OBJECT, OBJECT);
        RbdBackups.mergeInto(ranges, 6 * OBJECT, 1000); // the image's last, short object
        assertEquals(List.of("0+" + 2 * OBJECT, 5 * OBJECT + "+" + (OBJECT + 1000)),
                ranges.stream().map(r -> r[0] + "+" + r[1]).toList());
    }

    @Test
    void aLoneObjectIsARangeOfItsOwn() {
        List<long[]> ranges = new ArrayList<>();
        RbdBackups.mergeInto(ranges, 3 * OBJECT, OBJECT);
        assertEquals(1, ranges.size());
        assertEquals(3 * OBJECT, ranges.get(0)[0]);
        assertEquals(OBJECT, ranges.get(0)[1]);
    }
}
