package io.rbdstack.server.volume;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudStack's storage cleanup: every {@code storage.cleanup.interval} seconds (while
 * {@code storage.cleanup.enabled}) it fails the jobs of management servers that stopped, then runs
 * its steps: settling what they left mid-operation, purging expired deferred deletes. It runs on one
 * management server at a time (scheduled by the {@link io.rbdstack.server.cluster.LeasedScheduler});
 * the state moves are conditional anyway, so a run overlapping another server's is harmless.
 */
public final class StorageCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(StorageCleanup.class);

    private final SettingsRepository settings;
    private final Runnable failJobsOfStoppedServers;
    private final List<Step> steps;

    /** One part of a run: what it does to how many things ({@code "volume(s) settled"}) and the work, counting them. */
    public record Step(String did, IntSupplier work) {
    }

    public StorageCleanup(SettingsRepository settings, Runnable failJobsOfStoppedServers, List<Step> steps) {
        this.settings = settings;
        this.failJobsOfStoppedServers = failJobsOfStoppedServers;
        this.steps = List.copyOf(steps);
    }

    /** The time between two runs, as storage.cleanup.interval says now. */
    public Duration interval() {
        return Duration.ofSeconds(Math.max(1, settings.longValue(Setting.STORAGE_CLEANUP_INTERVAL)));
    }

    /** One run, unless storage.cleanup.enabled is false. */
    public void runIfEnabled() {
        if (settings.bool(Setting.STORAGE_CLEANUP_ENABLED)) {
            runOnce();
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
}
