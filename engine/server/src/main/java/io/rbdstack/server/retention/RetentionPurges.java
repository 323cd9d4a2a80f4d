package io.rbdstack.server.retention;

import io.rbdstack.server.alert.AlertRepository;
import io.rbdstack.server.event.EventRepository;
import io.rbdstack.server.job.JobRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the audit trail, alerts and finished jobs are kept, as CloudStack's settings say:
 * {@code event.purge.delay} and {@code alert.purge.delay} in days (0 keeps them for ever),
 * {@code job.expire.minutes} for finished jobs. Each purge is a background task of its own.
 */
public final class RetentionPurges {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurges.class);
    /** How often finished jobs are looked for: their expiry is in minutes. */
    public static final Duration JOB_PURGE_PERIOD = Duration.ofSeconds(10);

    private final SettingsRepository settings;
    private final EventRepository events;
    private final AlertRepository alerts;
    private final JobRepository jobs;

    public RetentionPurges(SettingsRepository settings, EventRepository events, AlertRepository alerts,
                           JobRepository jobs) {
        this.settings = settings;
        this.events = events;
        this.alerts = alerts;
        this.jobs = jobs;
    }

    public Duration eventPeriod() {
        return Duration.ofSeconds(settings.longValue(Setting.EVENT_PURGE_INTERVAL));
    }

    public Duration alertPeriod() {
        return Duration.ofSeconds(settings.longValue(Setting.ALERT_PURGE_INTERVAL));
    }

    /** Deletes events older than event.purge.delay days; none when it is 0. */
    public void purgeEvents() {
        purgeOlderThanDays(Setting.EVENT_PURGE_DELAY, events::purgeOlderThan, "event(s)");
    }

    /** Deletes alerts older than alert.purge.delay days whose condition is over; none when it is 0. */
    public void purgeAlerts() {
        purgeOlderThanDays(Setting.ALERT_PURGE_DELAY, alerts::purgeOlderThan, "alert(s)");
    }

    private void purgeOlderThanDays(Setting delay, java.util.function.ToIntFunction<Instant> purge, String what) {
        long days = settings.longValue(delay);
        if (days > 0) {
            int purged = purge.applyAsInt(Instant.now().minus(Duration.ofDays(days)));
            if (purged > 0) {
                LOG.info("Purged {} {} older than {} day(s) ({})", purged, what, days, delay.name());
            }
        }
    }

    /** Deletes jobs that finished more than job.expire.minutes ago. */
    public void purgeJobs() {
        long minutes = settings.longValue(Setting.JOB_EXPIRE_MINUTES);
        int purged = jobs.purgeFinishedBefore(Instant.now().minus(Duration.ofMinutes(minutes)));
        if (purged > 0) {
            LOG.info("Purged {} job(s) finished more than {} minute(s) ago (job.expire.minutes)", purged, minutes);
        }
    }
}
