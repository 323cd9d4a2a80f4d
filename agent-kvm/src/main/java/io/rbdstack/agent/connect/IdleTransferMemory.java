package io.rbdstack.agent.connect;

import io.rbdstack.agent.ceph.GlibcMalloc;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the agent's running transfers and gives back the memory a burst of them left once none has run for a while:
 * a full collection, then malloc's trim. A restore's read-ahead and diff buffers (20 MiB of Java arrays) live long
 * enough to end in the old generation, which only a full collection shrinks (the agent's {@code MaxHeapFreeRatio}),
 * so each restore left the heap larger until one came by itself. Runs {@link #DELAY} after the last transfer ended,
 * unless another started meanwhile. The count and the schedule change under one lock, so the last word is always the
 * true count.
 */
final class IdleTransferMemory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleTransferMemory.class);
    /** Long enough that a job's next transfer (a restore's next file, the next backup of a set) starts first. */
    static final Duration DELAY = Duration.ofSeconds(3);

    private final ScheduledThreadPoolExecutor timer;
    private final Duration delay;
    private final Runnable release;
    private int running;
    private ScheduledFuture<?> pending;

    IdleTransferMemory() {
        this(DELAY, IdleTransferMemory::release);
    }

    IdleTransferMemory(Duration delay, Runnable release) {
        this.delay = delay;
        this.release = release;
        this.timer = new ScheduledThreadPoolExecutor(1, CommandDispatcher.daemonThreads("agent-idle-memory"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A transfer starts: nothing is given back while it runs. Returns how many run now. */
    synchronized int transferStarted() {
        running++;
        cancelPending();
        return running;
    }

    /** A transfer ended: the memory goes back {@link #DELAY} from now if it was the last. Returns how many run now. */
    synchronized int transferEnded() {
        if (running > 0) {
            running--;
        }
        cancelPending();
        if (running == 0 && !timer.isShutdown()) {
            pending = timer.schedule(this::releaseIfIdle, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return running;
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void releaseIfIdle() {
        synchronized (this) {
            if (running > 0) {
                return; // one started as this fired: its end schedules the next
            }
            pending = null;
        }
        try {
            release.run(); // outside the lock: a transfer may start meanwhile, and runs beside one collection
        } catch (Throwable e) {
            LOG.warn("Giving back the transfers' memory failed: {}", e.toString());
        }
    }

    private static void release() {
        long start = System.nanoTime();
        System.gc(); // the old generation's garbage, and its pages with it
        GlibcMalloc.trim();
        LOG.debug("Gave back the transfers' memory in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /** Whether memory is to be given back, once the delay is over (tests). */
    synchronized boolean scheduled() {
        return pending != null;
    }

    @Override
    public synchronized void close() {
        cancelPending();
        timer.shutdownNow();
    }
}
