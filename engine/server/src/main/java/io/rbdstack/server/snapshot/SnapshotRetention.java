package io.rbdstack.server.snapshot;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.snapshot.policy.IntervalType;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a snapshot policy keeps: after it takes a snapshot, the volume's snapshots of the policy's
 * interval beyond its maxsnaps (or the lower snapshot.max.&lt;interval&gt;) are deleted, oldest first,
 * through the normal delete, which keeps any backup file a later backup is incremental to. At least
 * one is always kept, as in CloudStack. A snapshot that cannot be deleted now (being backed up, say)
 * is left for the policy's next snapshot to delete.
 */
public final class SnapshotRetention {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRetention.class);

    /** A policy's interval and how many snapshots of it the policy keeps. */
    public record Rule(IntervalType interval, int maxSnaps) {
    }

    private final SnapshotRepository snapshots;
    private final SnapshotService service;
    private final SettingsRepository settings;

    public SnapshotRetention(SnapshotRepository snapshots, SnapshotService service, SettingsRepository settings) {
        this.snapshots = snapshots;
        this.service = service;
        this.settings = settings;
    }

    /** The most snapshots of this interval a policy may keep (snapshot.max.hourly …). */
    public long limit(IntervalType interval) {
        return settings.longValue(switch (interval) {
            case HOURLY -> Setting.SNAPSHOT_MAX_HOURLY;
            case DAILY -> Setting.SNAPSHOT_MAX_DAILY;
            case WEEKLY -> Setting.SNAPSHOT_MAX_WEEKLY;
            case MONTHLY -> Setting.SNAPSHOT_MAX_MONTHLY;
        });
    }

    /** Deletes the volume's snapshots of the rule's interval beyond what it keeps; returns how many went. */
    public int prune(long volumeId, String volumeName, Rule rule) {
        long keep = Math.max(1, Math.min(rule.maxSnaps(), limit(rule.interval())));
        List<SnapshotRepository.SnapshotRow> kept = snapshots.ofVolume(volumeId, rule.interval().name());
        int deleted = 0;
        for (SnapshotRepository.SnapshotRow oldest : kept.subList(0, (int) Math.max(0, kept.size() - keep))) {
            if (!oldest.state().isUsable()) {
                continue; // mid-operation: it counts, and the next snapshot of the policy deletes it
            }
            try {
                service.beginDelete(oldest);
                service.delete(oldest);
                deleted++;
                LOG.info("Snapshot policy {} of volume {} keeps {}: deleted its oldest snapshot {} ({})",
                        rule.interval(), volumeName, keep, oldest.name(), oldest.uuid());
            } catch (ApiException e) {
                LOG.warn("Snapshot policy {} of volume {} keeps {}, but its oldest snapshot {} ({}) cannot be deleted"
                        + " now: {}", rule.interval(), volumeName, keep, oldest.name(), oldest.uuid(), e.getMessage());
            }
        }
        return deleted;
    }
}
