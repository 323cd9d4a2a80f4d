package io.rbdstack.server.volume;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudStack's storage cleanup thread: every {@code storage.cleanup.interval} seconds (while
 * {@code storage.cleanup.enabled}) it fails the jobs of management servers that stopped, then runs
 * its steps: settling what they left mid-operation, purging expired deferred deletes. Every
 * management server runs it; the state moves are conditional, so two servers doing the same volume
 * is harmless.
 */
public final class StorageCleanup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageCleanup.class);
    /** How often the settings are looked at, so a changed interval applies within this long. */
    private static final Duration WAKE = Duration.ofSeconds(5);

    private final SettingsRepository settings;
    private final Runnable failJobsOfStoppedServers;
    private final List<Step> steps;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "storage-cleanup");
        t.setDaemon(true);
        return t;
    });
    private long lastRunNanos;

    /** One part of a run: what it does to how many things ({@code "volume(s) settled"}) and the work, counting them. */
    public record Step(String did, IntSupplier work) {
    }

    public StorageCleanup(SettingsRepository settings, Runnable failJobsOfStoppedServers, List<Step> steps) {
        this.settings = settings;
        this.failJobsOfStoppedServers = failJobsOfStoppedServers;
        this.steps = List.copyOf(steps);
    }

    /** Starts the periodic runs; the first comes one interval after start-up. */
    public void start() {
        lastRunNanos = System.nanoTime();
        timer.scheduleWithFixedDelay(this::tick, WAKE.toMillis(), WAKE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long interval = Math.max(1, settings.longValue(Setting.STORAGE_CLEANUP_INTERVAL));
            if (!settings.bool(Setting.STORAGE_CLEANUP_ENABLED)
                    || System.nanoTime() - lastRunNanos < TimeUnit.SECONDS.toNanos(interval)) {
                return;
            }
            lastRunNanos = System.nanoTime();
            runOnce();
        } catch (RuntimeException e) {
            // A failed run (the database away, say) must not end the schedule: the next one tries again.
            LOG.warn("Storage cleanup failed: {}", e.getMessage(), e);
        }
    }

    /** One cleanup run. */
    public void runOnce() {
        failJobsOfStoppedServers.run();
        for (Step step : steps) {
            try {
                int count = step.work().getAsInt();
                if (count > 0) {
                    LOG.info("Storage cleanup: {} {}", count, step.did());
                }
            } catch (RuntimeException e) {
                // One step failing (its table unreadable, say) must not keep the others from running.
                LOG.warn("Storage cleanup: '{}' failed: {}", step.did(), e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
