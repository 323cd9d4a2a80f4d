package io.rbdstack.server.snapshot.policy;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudStack's snapshot scheduler: every {@code snapshot.poll.interval} seconds it looks for snapshot
 * policies whose next snapshot is due and has {@link PolicyRunner} take each. Every management server
 * looks; the claim in the database lets exactly one of them take each due snapshot. A failing look or
 * policy is logged and never ends the schedule.
 */
public final class SnapshotScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);
    /** How often the poll interval is looked at, so a changed one applies within this long. */
    private static final Duration WAKE = Duration.ofSeconds(1);
    /** Most due policies handled in one look; the rest wait for the next (the longest waiting first). */
    private static final int BATCH = 200;

    private final SnapshotPolicyRepository policies;
    private final PolicyRunner runner;
    private final SettingsRepository settings;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "snapshot-scheduler");
        t.setDaemon(true);
        return t;
    });
    private long lastLookNanos;

    public SnapshotScheduler(SnapshotPolicyRepository policies, PolicyRunner runner, SettingsRepository settings,
                             Clock clock) {
        this.policies = policies;
        this.runner = runner;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts the looks; the first comes one interval after start-up and catches up what came due meanwhile. */
    public void start() {
        lastLookNanos = System.nanoTime();
        timer.scheduleWithFixedDelay(this::tick, WAKE.toMillis(), WAKE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long interval = Math.max(1, settings.longValue(Setting.SNAPSHOT_POLL_INTERVAL));
            if (System.nanoTime() - lastLookNanos < TimeUnit.SECONDS.toNanos(interval) - WAKE.toNanos() / 2) {
                return;
            }
            lastLookNanos = System.nanoTime();
            look(clock.instant());
        } catch (RuntimeException e) {
            // The database away, say: the next look tries again.
            LOG.warn("Snapshot scheduler: looking for due snapshot policies failed: {}", e.getMessage(), e);
        }
    }

    /** One look at {@code now}: every due policy's snapshot started here or by another server; returns how many here. */
    public int look(Instant now) {
        int started = 0;
        for (SnapshotPolicyRepository.PolicyRow due : policies.due(now, BATCH)) {
            try {
                if (runner.run(due, now) == PolicyRunner.Outcome.STARTED) {
                    started++;
                }
            } catch (RuntimeException e) {
                // One policy failing (its volume's row unreadable, say) must not keep the others from running.
                LOG.warn("Snapshot scheduler: policy {} of volume {} failed: {}", due.uuid(), due.volumeName(),
                        e.getMessage(), e);
            }
        }
        return started;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
