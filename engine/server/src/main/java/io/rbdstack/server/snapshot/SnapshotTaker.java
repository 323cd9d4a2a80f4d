package io.rbdstack.server.snapshot;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.volume.VolumeRepository;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking a snapshot, the same way for createSnapshot and for the snapshot policies' scheduler: the
 * request part saves it Allocated (the volume Snapshotting), the job takes it on primary, backs it up
 * when snapshot.backup.to.secondary is set and, for a policy's snapshot, deletes what the policy no
 * longer keeps.
 */
public final class SnapshotTaker {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTaker.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final String DETACHED = "detached";

    private final SnapshotService service;
    private final SnapshotBackups backups;
    private final SnapshotRepository snapshots;
    private final SnapshotRetention retention;
    private final SettingsRepository settings;
    private final JobSubmitter jobs;
    private final ActionEvents events;

    public SnapshotTaker(SnapshotService service, SnapshotBackups backups, SnapshotRepository snapshots,
                         SnapshotRetention retention, SettingsRepository settings, JobSubmitter jobs,
                         ActionEvents events) {
        this.events = events;
        this.service = service;
        this.backups = backups;
        this.snapshots = snapshots;
        this.retention = retention;
        this.settings = settings;
        this.jobs = jobs;
    }

    /**
     * The request part: the zone must have an image store if snapshots are backed up; the volume goes
     * Snapshotting and the snapshot is saved Allocated.
     *
     * @param type MANUAL, or the interval of the policy it is taken for
     */
    public SnapshotRepository.SnapshotRow allocate(VolumeRepository.VolumeRow volume, Optional<String> name,
                                                   String type) {
        if (settings.bool(Setting.SNAPSHOT_BACKUP_TO_SECONDARY)) {
            backups.requireImageStore(volume.zoneId(), volume.zoneName());
        }
        String snapshotName = name.map(String::trim).filter(n -> !n.isEmpty()).orElseGet(() -> defaultName(volume));
        return service.allocate(volume, UUID.randomUUID().toString(), snapshotName, type);
    }

    /**
     * The job of an allocated snapshot. With {@code asyncBackup} the job ends once the snapshot is
     * taken and its backup runs in a backupSnapshot job of its own; a policy's snapshot ({@code rule})
     * is followed by the deletion of what the policy no longer keeps, whose failure is logged and does
     * not fail the job: the snapshot was taken.
     */
    public AsyncCommand.AsyncStart job(Caller caller, SnapshotRepository.SnapshotRow allocated, boolean asyncBackup,
                                       Optional<SnapshotRetention.Rule> rule) {
        return job(caller, allocated, asyncBackup, false, rule);
    }

    /**
     * {@link #job(Caller, SnapshotRepository.SnapshotRow, boolean, Optional)}; with {@code quiesceVm} the volume's
     * running guest is frozen around the snapshot, and an event says so plainly when it could not be (no
     * qemu-guest-agent: the snapshot is crash-consistent).
     */
    public AsyncCommand.AsyncStart job(Caller caller, SnapshotRepository.SnapshotRow allocated, boolean asyncBackup,
                                       boolean quiesceVm, Optional<SnapshotRetention.Rule> rule) {
        String uuid = allocated.uuid();
        return new AsyncCommand.AsyncStart("Snapshot", uuid, progress -> {
            SnapshotService.Taken created = service.create(allocated, quiesceVm);
            if (created.crashConsistent()) {
                events.happened(caller, "SNAPSHOT.CREATE", EventLevel.INFO, "Snapshot " + allocated.name()
                        + " of volume " + allocated.volumeName() + " is crash-consistent, not quiesced (quiescevm=true): "
                        + SnapshotQuiesce.CRASH_CONSISTENT, new EventResource("Snapshot", uuid));
            }
            SnapshotRepository.SnapshotRow taken = created.snapshot();
            // Once the snapshot is on primary, the policy prunes whatever becomes of its backup: a backup
            // refused again and again (a limit, a full store) must not pile snapshots up past maxsnaps.
            try {
                if (settings.bool(Setting.SNAPSHOT_BACKUP_TO_SECONDARY)) {
                    backups.beginBackup(taken);
                    if (asyncBackup) {
                        // A job of its own: listed, its failure recorded, and a crash settled by the cleanup.
                        SnapshotRepository.SnapshotRow backingUp = snapshots.find(uuid).orElseThrow();
                        jobs.submit(caller, "backupSnapshot", Map.of("id", uuid), new AsyncCommand.AsyncStart(
                                "Snapshot", uuid, backup -> ApiJson.object("snapshot",
                                backups.backup(backingUp, backup.transfer()).view())));
                        taken = backingUp;
                    } else {
                        taken = backups.backup(taken, progress.transfer());
                    }
                }
            } finally {
                rule.ifPresent(r -> prune(allocated, r));
            }
            return ApiJson.object("snapshot", taken.view());
        });
    }

    private void prune(SnapshotRepository.SnapshotRow taken, SnapshotRetention.Rule rule) {
        try {
            retention.prune(taken.volumeId(), taken.volumeName(), rule);
        } catch (RuntimeException e) {
            LOG.warn("After snapshot {} ({}) of volume {}, deleting what its {} policy no longer keeps failed: {}",
                    taken.name(), taken.uuid(), taken.volumeName(), rule.interval(), e.getMessage(), e);
        }
    }

    /**
     * &lt;VM&gt;_&lt;volume&gt;_&lt;time&gt; as CloudStack names it, "detached" for a volume of no VM; the volume's
     * name shortened so that the whole fits the name column.
     */
    static String defaultName(VolumeRepository.VolumeRow volume) {
        String prefix = (volume.attachment() == null ? DETACHED : volume.attachment().vmName()) + "_";
        String time = "_" + ZonedDateTime.now(ZoneOffset.UTC).format(NAME_TIME);
        int room = Math.max(0, Param.DEFAULT_LENGTH - prefix.codePointCount(0, prefix.length()) - time.length());
        String name = volume.name();
        // Cut by characters (code points), as the column counts them, never inside a surrogate pair.
        String volumeName = name.codePointCount(0, name.length()) > room
                ? name.substring(0, name.offsetByCodePoints(0, room)) : name;
        return prefix + volumeName + time;
    }
}
