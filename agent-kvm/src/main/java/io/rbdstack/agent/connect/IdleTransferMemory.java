package io.rbdstack.agent.connect;

import io.rbdstack.agent.ceph.GlibcMalloc;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the memory a burst of transfers left, once none has run for a while: a full collection, then malloc's
 * trim. A restore's read-ahead and diff buffers (20 MiB of Java arrays) live long enough to end in the old
 * generation, which only a full collection shrinks (the agent's {@code MaxHeapFreeRatio}), so each restore left the
 * heap larger until one came by itself. Runs {@link #DELAY} after the last transfer ended, unless another started
 * meanwhile; nothing runs while transfers do.
 */
final class IdleTransferMemory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleTransferMemory.class);
    /** Long enough that a job's next transfer (a restore's next file, the next backup of a set) starts first. */
    static final Duration DELAY = Duration.ofSeconds(3);

    private final ScheduledExecutorService timer;
    private final Duration delay;
    private final Runnable release;
    private ScheduledFuture<?> pending;

    IdleTransferMemory() {
        this(DELAY, IdleTransferMemory::release);
    }

    IdleTransferMemory(Duration delay, Runnable release) {
        this.delay = delay;
        this.release = release;
        this.timer = Executors.newSingleThreadScheduledExecutor(CommandDispatcher.daemonThreads("agent-idle-memory"));
    }

    /** Called whenever the number of running transfers changes, with the new number. */
    synchronized void transfersRunning(int count) {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        if (count == 0 && !timer.isShutdown()) {
            pending = timer.schedule(release, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void release() {
        long start = System.nanoTime();
        System.gc(); // the old generation's garbage, and its pages with it
        GlibcMalloc.trim();
        LOG.debug("Gave back the transfers' memory in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
    }
}
