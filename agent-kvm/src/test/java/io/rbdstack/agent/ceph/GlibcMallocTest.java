package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import org.junit.jupiter.api.Test;

class GlibcMallocTest {

    /** glibc's mallinfo2 (2.33 and later): what malloc holds, as size_t fields. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost"})
    public static class MallInfo extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        /** Bytes in blocks mapped on their own. */
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    private interface C extends Library {
        MallInfo mallinfo2();
    }

    private static final C LIBC = Native.load("c", C.class);

    @Test
    void blocksOfAnRbdObjectAreMappedEvenAfterOneWasFreed() {
        assertTrue(GlibcMalloc.mapBlocksOf(GlibcMalloc.LARGE_BLOCK), "glibc takes the setting");
        // Left to glibc, freeing a mapped 4 MiB block raises its threshold past 4 MiB: the next one would come
        // from an arena, and the bytes in mapped blocks would not grow.
        new Memory(GlibcMalloc.LARGE_BLOCK).close();
        long before = LIBC.mallinfo2().hblkhd;
        Memory block = new Memory(GlibcMalloc.LARGE_BLOCK);
        long held = LIBC.mallinfo2().hblkhd;
        block.close();
        long after = LIBC.mallinfo2().hblkhd;
        assertTrue(held - before >= GlibcMalloc.LARGE_BLOCK, "a block of its own: " + (held - before)
                + " bytes more mapped");
        assertTrue(held - after >= GlibcMalloc.LARGE_BLOCK, "given back when freed: " + (held - after)
                + " bytes fewer mapped");
    }

    @Test
    void aThresholdOutsideWhatMallocTakesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GlibcMalloc.mapBlocksOf(0));
        assertThrows(IllegalArgumentException.class, () -> GlibcMalloc.mapBlocksOf(1L << 32));
    }
}
