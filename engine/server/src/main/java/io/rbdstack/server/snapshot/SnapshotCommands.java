package io.rbdstack.server.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.OwnerParams;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.tag.TagMatch;
import io.rbdstack.server.tag.TagRepository;
import io.rbdstack.server.tag.TagView;
import io.rbdstack.server.tag.TaggedType;
import io.rbdstack.server.volume.SnapshotSource;
import io.rbdstack.server.volume.VolumeRepository;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** createSnapshot, listSnapshots, revertSnapshot and deleteSnapshot: volume snapshots on primary storage. */
public final class SnapshotCommands {

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private SnapshotCommands() {
    }

    /** Starts another async job (AsyncJobManager's submit): how createSnapshot's asyncbackup runs its backup. */
    @FunctionalInterface
    public interface JobSubmitter {
        String submit(Caller caller, String command, Map<String, String> params, AsyncCommand.AsyncStart start);
    }

    public record Deps(VolumeRepository volumes, SnapshotRepository snapshots, SnapshotService service,
                       SnapshotBackups backups, SettingsRepository settings, JobSubmitter jobs, Owners owners,
                       TagRepository tags)
            implements SnapshotSource {

        /** The snapshot (the caller's right to it was checked when its id was bound). */
        SnapshotRepository.SnapshotRow snapshot(String uuid) {
            return snapshots.find(uuid).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find snapshot by id " + uuid + " (parameter id)"));
        }

        @Override
        public Snapshot usable(String snapshotUuid) {
            SnapshotRepository.SnapshotRow snapshot = snapshots.find(snapshotUuid).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find snapshot by id " + snapshotUuid
                            + " (parameter snapshotid)"));
            if (!snapshot.state().isUsable()) {
                throw ApiException.invalidParameter("Snapshot " + snapshot.name() + " is " + snapshot.state()
                        + "; a volume can only be made from a snapshot that is CreatedOnPrimary or BackedUp"
                        + " (parameter snapshotid)");
            }
            Optional<VolumeRepository.VolumeRow> source = volumes.find(snapshot.volumeUuid());
            Long offeringId = source.map(VolumeRepository.VolumeRow::offeringId).orElse(null);
            String offeringUuid = source.map(VolumeRepository.VolumeRow::offeringUuid).orElse(null);
            if (snapshot.onPrimary() && snapshot.poolId() != null) {
                return new Snapshot(snapshot.uuid(), snapshot.name(), snapshot.zoneId(), snapshot.zoneName(), snapshot.poolId(),
                        snapshot.volumePath(), snapshot.sizeBytes(), offeringId, offeringUuid, List.of());
            }
            // chain() refuses (431) a snapshot that has no backup either.
            return new Snapshot(snapshot.uuid(), snapshot.name(), snapshot.zoneId(), snapshot.zoneName(), null, null,
                    snapshot.sizeBytes(), offeringId, offeringUuid, backups.chain(snapshot.id()));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateSnapshot.class, deps);
        registry.register(ListSnapshots.class, deps);
        registry.register(RevertSnapshot.class, deps);
        registry.register(DeleteSnapshot.class, deps);
        registry.register(BackupSnapshot.class, deps);
    }

    /** CloudStack's snapshot types; every snapshot here is MANUAL until policies arrive. */
    enum SnapshotType { MANUAL, RECURRING }

    /** CloudStack's snapshot policy intervals. */
    enum IntervalType { HOURLY, DAILY, WEEKLY, MONTHLY }

    @Command(name = "createSnapshot", description = "Creates an instant snapshot of a volume, on its primary storage.",
            access = Access.USER, response = "snapshot", event = "SNAPSHOT.CREATE")
    record CreateSnapshot(
            @Param(description = "The ID of the disk volume", entity = Entity.VOLUME, acl = true) String volumeId,
            @Param(description = "the name of the snapshot; <vm or detached>_<volume>_<time> when absent",
                    column = "snapshots.name") Optional<String> name,
            @Param(description = "not supported yet: snapshots are manual", entity = Entity.SNAPSHOT_POLICY)
            Optional<String> policyId,
            @Param(description = "quiesce vm if true; not supported for RBD volumes") Optional<Boolean> quiesceVm,
            @Param(description = "only for managed storage, which RBD is not") Optional<String> locationType,
            @Param(description = "with snapshot.backup.to.secondary=true: the job ends once the snapshot is taken"
                    + " (BackingUp) and the backup goes on in a backupSnapshot job") Optional<Boolean> asyncBackup,
            @Param(description = "accepted; the snapshot belongs to the volume's owner") Optional<String> account,
            @Param(description = "accepted; the snapshot belongs to the volume's owner", entity = Entity.DOMAIN)
            Optional<String> domainId) implements AsyncCommand<Deps> {

        private static final String DETACHED = "detached_";

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.volumes().find(volumeId).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find volume by id " + volumeId + " (parameter volumeid)"));
            if (locationType.isPresent()) {
                throw ApiException.invalidParameter("VolumeId: " + volume.uuid() + " LocationType is supported only"
                        + " for managed storage (parameter locationtype); RBD snapshots stay on primary storage");
            }
            if (quiesceVm.orElse(false)) {
                throw ApiException.invalidParameter("Can't handle quiescevm equal true for volume snapshot"
                        + " (parameter quiescevm)");
            }
            if (policyId.isPresent()) {
                throw ApiException.invalidParameter("Snapshot policies are not supported yet (parameter policyid)");
            }
            if (deps.settings().bool(Setting.SNAPSHOT_BACKUP_TO_SECONDARY)) {
                deps.backups().requireImageStore(volume.zoneId(), volume.zoneName());
            }
            String uuid = UUID.randomUUID().toString();
            String snapshotName = name.map(String::trim).filter(n -> !n.isEmpty()).orElseGet(() -> defaultName(volume));
            SnapshotRepository.SnapshotRow allocated = deps.service().allocate(volume, uuid, snapshotName);
            boolean inBackground = asyncBackup.orElse(false);
            return new AsyncStart("Snapshot", uuid, progress -> {
                SnapshotRepository.SnapshotRow taken = deps.service().create(allocated);
                if (deps.settings().bool(Setting.SNAPSHOT_BACKUP_TO_SECONDARY)) {
                    deps.backups().beginBackup(taken);
                    if (inBackground) {
                        // A job of its own: listed, its failure recorded, and a crash settled by the cleanup.
                        SnapshotRepository.SnapshotRow backingUp = deps.snapshots().find(uuid).orElseThrow();
                        deps.jobs().submit(caller, "backupSnapshot", Map.of("id", uuid), new AsyncStart("Snapshot",
                                uuid, backup -> ApiJson.object("snapshot", deps.backups().backup(backingUp, backup::transferred)
                                .view())));
                        taken = backingUp;
                    } else {
                        taken = deps.backups().backup(taken, progress::transferred);
                    }
                }
                return ApiJson.object("snapshot", taken.view());
            });
        }

        /** detached_<volume>_<time>, the volume's name shortened so that the whole fits the name column. */
        private static String defaultName(VolumeRepository.VolumeRow volume) {
            String time = "_" + ZonedDateTime.now(ZoneOffset.UTC).format(NAME_TIME);
            int room = Param.DEFAULT_LENGTH - DETACHED.length() - time.length();
            String name = volume.name();
            // Cut by characters (code points), as the column counts them, never inside a surrogate pair.
            String volumeName = name.codePointCount(0, name.length()) > room
                    ? name.substring(0, name.offsetByCodePoints(0, room)) : name;
            return DETACHED + volumeName + time;
        }
    }

    @Command(name = "listSnapshots", description = "Lists all available snapshots for the account.",
            access = Access.USER, response = "snapshot")
    record ListSnapshots(
            @Param(description = "lists snapshot by snapshot ID", entity = Entity.SNAPSHOT) Optional<String> id,
            @Param(description = "the ID of the disk volume", entity = Entity.VOLUME) Optional<String> volumeId,
            @Param(description = "lists snapshot by snapshot name") Optional<String> name,
            @Param(description = "List by keyword") Optional<String> keyword,
            @Param(description = "list snapshots by zone id", entity = Entity.ZONE) Optional<String> zoneId,
            @Param(description = "the snapshot type") Optional<SnapshotType> snapshotType,
            @Param(description = "the interval of recurring snapshots; only MANUAL snapshots exist so far")
            Optional<IntervalType> intervalType,
            @Param(description = "List resources by tags (key/value pairs): snapshots with any of them",
                    column = "resource_tags.value") List<Map<String, String>> tags,
            OwnerParams owner,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            if (intervalType.isPresent() || snapshotType.filter(SnapshotType.RECURRING::equals).isPresent()) {
                // Recurring snapshots come with policies; until then every snapshot is MANUAL.
                return ApiJson.list("snapshot", List.of(), 0);
            }
            SnapshotRepository.Filter filter = new SnapshotRepository.Filter(owner.scope(caller, deps.owners(),
                    id.isPresent()), id, volumeId, name, keyword, zoneId, snapshotType.map(SnapshotType::name),
                    TagMatch.of(tags, "tags"));
            List<SnapshotRepository.SnapshotRow> rows = deps.snapshots().list(filter, page.sql());
            Map<Long, List<TagView>> tagged = deps.tags().of(TaggedType.Snapshot, rows.stream()
                    .map(SnapshotRepository.SnapshotRow::id).toList());
            List<SnapshotView> views = rows.stream().map(s -> s.view(tagged.getOrDefault(s.id(), List.of()))).toList();
            return ApiJson.list("snapshot", views, deps.snapshots().count(filter));
        }
    }

    @Command(name = "revertSnapshot", description = "This is supposed to revert a volume snapshot. The volume's content"
            + " and size go back to the snapshot's.", access = Access.USER, response = "snapshot",
                    event = "SNAPSHOT.REVERT")
    record RevertSnapshot(@Param(description = "The ID of the snapshot", entity = Entity.SNAPSHOT, acl = true) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            SnapshotRepository.SnapshotRow snapshot = deps.snapshot(id);
            deps.service().beginRevert(snapshot);
            return new AsyncStart("Snapshot", snapshot.uuid(), progress -> ApiJson.object("snapshot",
                    deps.service().revert(snapshot).view()));
        }
    }

    /** rbdstack's own command (CloudStack has none): back an existing snapshot up to secondary storage now. */
    @Command(name = "backupSnapshot", description = "Backs a snapshot on primary storage up to the zone's image store:"
            + " incrementally to the previous backup of its volume when it can, else in full. The snapshot stays on"
            + " primary storage.", access = Access.USER, response = "snapshot", event = "SNAPSHOT.BACKUP")
    record BackupSnapshot(@Param(description = "The ID of the snapshot", entity = Entity.SNAPSHOT, acl = true) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            SnapshotRepository.SnapshotRow snapshot = deps.snapshot(id);
            deps.backups().beginBackup(snapshot);
            return new AsyncStart("Snapshot", snapshot.uuid(), progress -> ApiJson.object("snapshot",
                    deps.backups().backup(snapshot, progress::transferred).view()));
        }
    }

    @Command(name = "deleteSnapshot", description = "Deletes a snapshot of a disk volume.", access = Access.USER,
            response = "success", event = "SNAPSHOT.DELETE")
    record DeleteSnapshot(@Param(description = "The ID of the snapshot", entity = Entity.SNAPSHOT, acl = true) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            SnapshotRepository.SnapshotRow snapshot = deps.snapshot(id);
            deps.service().beginDelete(snapshot);
            return new AsyncStart("Snapshot", snapshot.uuid(), progress -> {
                deps.service().delete(snapshot);
                return ApiJson.success();
            });
        }
    }
}
