package io.rbdstack.server.network;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serial lane of work per host: a host's work runs one piece at a time, in the order given, while
 * other hosts' lanes run beside it, so a slow or hung host (each step bounded by its agent timeout) delays
 * only its own. Bounded: the lanes share at most {@code threads} threads (a lane takes one for one piece,
 * then queues again behind the others), and a lane holds at most {@code capacity} pieces; past that, its
 * queue is replaced by one resync of the whole host ({@code resync}), which converges it to the same end
 * state as everything it replaces.
 */
final class HostLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostLanes.class);

    private final class Lane {
        final String host;
        final Deque<Runnable> queue = new ArrayDeque<>();
        boolean scheduled;

        Lane(String host) {
            this.host = host;
        }
    }

    private final ThreadPoolExecutor threads;
    private final int capacity;
    private final Function<String, Runnable> resync;
    private final Map<String, Lane> lanes = new HashMap<>();

    HostLanes(String name, int threads, int capacity, Function<String, Runnable> resync) {
        if (threads < 1 || capacity < 1) {
            throw new IllegalArgumentException("a lane needs a thread and room for one piece of work");
        }
        this.capacity = capacity;
        this.resync = Objects.requireNonNull(resync, "resync");
        AtomicInteger counter = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** Queues {@code work} on {@code host}'s lane: after the work queued there before, never beside it. */
    void submit(String host, Runnable work) {
        Objects.requireNonNull(work, "work");
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(host, Lane::new);
            if (lane.queue.size() >= capacity) {
                LOG.warn("{} changes wait for host {}: replaced by one resync of the host", lane.queue.size(), host);
                lane.queue.clear();
                lane.queue.add(resync.apply(host));
            }
            lane.queue.add(work);
            if (!lane.scheduled) {
                lane.scheduled = true;
                schedule(lane);
            }
        }
    }

    /** Pieces of work queued for {@code host}, the running one not counted. */
    synchronized int queued(String host) {
        Lane lane = lanes.get(host);
        return lane == null ? 0 : lane.queue.size();
    }

    private void schedule(Lane lane) {
        try {
            threads.execute(() -> runOne(lane));
        } catch (RejectedExecutionException e) {
            lane.scheduled = false; // callers hold the lock
            LOG.debug("Host {}'s lane not run: closing", lane.host);
        }
    }

    private void runOne(Lane lane) {
        Runnable next;
        synchronized (this) {
            next = lane.queue.poll();
        }
        try {
            if (next != null) {
                next.run();
            }
        } catch (RuntimeException e) {
            LOG.error("Work for host {} failed", lane.host, e);
        } finally {
            synchronized (this) {
                if (lane.queue.isEmpty()) {
                    lane.scheduled = false;
                    lanes.remove(lane.host, lane);
                } else {
                    schedule(lane); // behind the other lanes' pieces: none waits for a busy one
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
