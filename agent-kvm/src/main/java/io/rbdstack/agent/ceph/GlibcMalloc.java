package io.rbdstack.agent.ceph;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's malloc tuned for transfers: {@code malloc_trim} hands the free memory of every malloc arena back to the
 * system, and {@link #mapBlocksOf} gives the large blocks pages of their own. librados receives each read of a
 * backup into a 4 MiB block of its own and the transfer buffers are 4 MiB too; freed, such blocks stay in the
 * arenas (the agent's RSS kept what its busiest moment took) until trimmed.
 */
public final class GlibcMalloc {

    /**
     * Blocks of this size and more are mapped, each on its own (issue 14): one RBD object, so librados' read
     * buffers and the transfer buffers. Left to glibc, the threshold rises to the size of the first such block
     * freed, and from then on they come from the heap beside librados' many small allocations, which keep holes
     * open: at four concurrent 1 GiB backups malloc's heap alone took 104-151 MiB and the agent's peak RSS was
     * 223-273 MiB in three identical runs; mapped, the heap took 26-35 and the peak was 195-204 MiB in four
     * (smaps at the peak, 2026-12-05).
     */
    public static final long LARGE_BLOCK = RbdBackups.CHUNK;

    private static final Logger LOG = LoggerFactory.getLogger(GlibcMalloc.class);
    private static final int M_MMAP_THRESHOLD = -3;

    private interface C extends Library {
        int malloc_trim(long pad);

        int mallopt(int parameter, int value);
    }

    private static final C LIBC = load();

    private GlibcMalloc() {
    }

    private static C load() {
        try {
            return Native.load("c", C.class);
        } catch (UnsatisfiedLinkError e) {
            LOG.info("No glibc malloc here ({}): freed transfer memory stays with malloc", e.getMessage());
            return null;
        }
    }

    /** Trims the arenas, if this C library can. */
    public static void trim() {
        if (LIBC != null) {
            LIBC.malloc_trim(0);
        }
    }

    /**
     * Makes malloc map every block of {@code bytes} or more on its own pages (given back when freed) rather than
     * carve it from an arena. Process-wide; for the agent's start.
     *
     * @return false when this C library has no such setting (not glibc), or refused it
     */
    public static boolean mapBlocksOf(long bytes) {
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a malloc mmap threshold of " + bytes + " bytes");
        }
        if (LIBC == null) {
            return false;
        }
        try {
            return LIBC.mallopt(M_MMAP_THRESHOLD, (int) bytes) == 1;
        } catch (UnsatisfiedLinkError e) {
            return false; // a C library with malloc_trim but no mallopt
        }
    }
}
