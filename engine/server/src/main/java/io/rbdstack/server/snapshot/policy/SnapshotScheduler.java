package io.rbdstack.server.snapshot.policy;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudStack's snapshot scheduler: it looks for snapshot policies whose next snapshot is due and has
 * {@link PolicyRunner} take each. Looks happen at whole multiples of {@code snapshot.poll.interval}
 * seconds on the clock, so every management server looks at the same moments and, with an interval
 * that divides a minute, a snapshot is taken within a second or so of its time; the claim in the
 * database lets exactly one server take each due snapshot. A failing look or policy is logged and
 * never ends the schedule.
 */
public final class SnapshotScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);
    /** How often the clock and the poll interval are looked at: every whole second, just after it starts. */
    private static final long WAKE_MILLIS = 1000;
    private static final long AFTER_THE_SECOND_MILLIS = 20;
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
    /** The poll interval's multiple (seconds since the epoch / interval) of the last look. */
    private long lastLook = Long.MIN_VALUE;

    public SnapshotScheduler(SnapshotPolicyRepository policies, PolicyRunner runner, SettingsRepository settings,
                             Clock clock) {
        this.policies = policies;
        this.runner = runner;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts the looks; the first, within a second, takes what came due while no server was running. */
    public void start() {
        long delay = WAKE_MILLIS - Math.floorMod(clock.millis(), WAKE_MILLIS) + AFTER_THE_SECOND_MILLIS;
        timer.scheduleAtFixedRate(this::tick, delay, WAKE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long interval = Math.max(1, settings.longValue(Setting.SNAPSHOT_POLL_INTERVAL));
            Instant now = clock.instant();
            long multiple = Math.floorDiv(now.getEpochSecond(), interval);
            if (multiple == lastLook) {
                return;
            }
            lastLook = multiple;
            look(now);
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
        try {
            // A look under way may be submitting a job: let it finish before the job manager closes.
            if (!timer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("The snapshot scheduler did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
