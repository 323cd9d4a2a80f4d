package io.rbdstack.server.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic background work that runs on one management server at a time: every server schedules the
 * same named tasks, and a task runs only on the holder of its {@link ClusterLease}, once per period
 * (counted from its last run on any server). If the holder stops, another takes the lease once it
 * expires (seconds) and goes on. A run that fails is logged and the schedule goes on; nothing a task
 * throws ends it.
 *
 * <p>For other schedulers (snapshot policies, say): {@code scheduler.schedule("snapshot-policies",
 * () -> Duration.ofMinutes(1), policies::runDue)}.
 */
public final class LeasedScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedScheduler.class);
    /** How often a running task's lease is renewed, so a long run keeps it. */
    private static final Duration RENEW = Duration.ofSeconds(1);
    /** The shortest lease: several renewals long, so one slow UPDATE does not lose it. */
    private static final Duration MIN_TTL = Duration.ofSeconds(3);
    private static final Duration MAX_TICK = Duration.ofSeconds(5);
    private static final Duration MIN_TICK = Duration.ofMillis(100);

    private final ClusterLease lease;
    private final List<ScheduledExecutorService> timers = new CopyOnWriteArrayList<>();
    /** Running tasks, by name, with their lease's ttl: the keeper renews them. */
    private final Map<String, Duration> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "lease-keeper"));
    private final List<String> names = new CopyOnWriteArrayList<>();

    public LeasedScheduler(ClusterLease lease) {
        this.lease = lease;
        keeper.scheduleWithFixedDelay(this::renewRunning, RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} every {@code period} (read again before each run, so a setting's change applies
     * at once) on whichever management server holds the lease {@code name}; the first run comes one
     * period after the lease is first taken.
     */
    public void schedule(String name, Supplier<Duration> period, Runnable task) {
        if (names.contains(name)) {
            throw new IllegalArgumentException("A task named " + name + " is scheduled already");
        }
        names.add(name);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "leased-" + name));
        timers.add(timer);
        Task scheduled = new Task(name, period, task, timer);
        timer.schedule(scheduled, 0, TimeUnit.MILLISECONDS);
    }

    private final class Task implements Runnable {
        private final String name;
        private final Supplier<Duration> period;
        private final Runnable work;
        private final ScheduledExecutorService timer;
        private Duration lastPeriod = Duration.ofMinutes(1);

        Task(String name, Supplier<Duration> period, Runnable work, ScheduledExecutorService timer) {
            this.name = name;
            this.period = period;
            this.work = work;
            this.timer = timer;
        }

        @Override
        public void run() {
            try {
                lastPeriod = period.get();
                Duration ttl = ttl(lastPeriod);
                if (lease.acquire(name, ttl) && lease.claimRun(name, lastPeriod)) {
                    running.put(name, ttl);
                    try {
                        work.run();
                    } finally {
                        running.remove(name);
                    }
                }
            } catch (RuntimeException | Error e) {
                // The database away, a bug in the task: log it and try again next time.
                LOG.error("Background task {} failed: {}", name, e.getMessage(), e);
            } finally {
                next();
            }
        }

        private void next() {
            try {
                timer.schedule(this, tick(lastPeriod).toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("Background task {} stopped: the scheduler is closed", name);
            }
        }
    }

    /** How often a task looks whether it is due: a fraction of its period, from 0.1 s to 5 s. */
    static Duration tick(Duration period) {
        Duration quarter = period.dividedBy(4);
        return quarter.compareTo(MIN_TICK) < 0 ? MIN_TICK : quarter.compareTo(MAX_TICK) > 0 ? MAX_TICK : quarter;
    }

    /** How long a lease lasts unrenewed: three ticks, at least {@link #MIN_TTL}. */
    static Duration ttl(Duration period) {
        Duration ticks = tick(period).multipliedBy(3);
        return ticks.compareTo(MIN_TTL) < 0 ? MIN_TTL : ticks;
    }

    private void renewRunning() {
        running.forEach((name, ttl) -> {
            try {
                if (!lease.acquire(name, ttl)) {
                    LOG.warn("Background task {} lost its lease while running", name);
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot renew the lease of background task {}: {}", name, e.getMessage());
            }
        });
    }

    /** Stops every task (a running one is interrupted) and gives their leases up. */
    @Override
    public void close() {
        timers.forEach(ScheduledExecutorService::shutdownNow);
        keeper.shutdownNow();
        for (String name : names) {
            try {
                lease.release(name);
            } catch (RuntimeException e) {
                LOG.warn("Cannot release the lease of background task {}: {}", name, e.getMessage());
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
