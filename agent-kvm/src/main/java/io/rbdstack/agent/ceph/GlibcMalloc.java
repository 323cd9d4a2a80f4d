package io.rbdstack.agent.ceph;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's {@code malloc_trim}: hands the free memory of every malloc arena back to the system. librados and the
 * transfer buffers allocate 4 MiB blocks from several threads; freed, they stay in the arenas (the agent's RSS
 * kept what its busiest moment took) until trimmed.
 */
final class GlibcMalloc {

    private static final Logger LOG = LoggerFactory.getLogger(GlibcMalloc.class);

    private interface C extends Library {
        int malloc_trim(long pad);
    }

    private static final C LIBC = load();

    private GlibcMalloc() {
    }

    private static C load() {
        try {
            return Native.load("c", C.class);
        } catch (UnsatisfiedLinkError e) {
            LOG.info("No malloc_trim in this C library ({}): freed transfer memory stays with malloc", e.getMessage());
            return null;
        }
    }

    /** Trims the arenas, if this C library can. */
    static void trim() {
        if (LIBC != null) {
            LIBC.malloc_trim(0);
        }
    }
}
