package io.rbdstack.server.snapshot;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.volume.SnapshotSource;
import io.rbdstack.server.volume.VolumeRepository;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** createSnapshot, listSnapshots, revertSnapshot and deleteSnapshot: volume snapshots on primary storage. */
public final class SnapshotCommands {

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private SnapshotCommands() {
    }

    /** Lookups with CloudStack's errors and access checks. */
    /** Starts another async job (AsyncJobManager's submit): how createSnapshot's asyncbackup runs its backup. */
    @FunctionalInterface
    public interface JobSubmitter {
        String submit(Caller caller, String command, Map<String, String> params, AsyncCommand.AsyncStart start);
    }

    public record Deps(VolumeRepository volumes, SnapshotRepository snapshots, SnapshotService service,
                       SnapshotBackups backups, SettingsRepository settings, JobSubmitter jobs)
            implements SnapshotSource {

        SnapshotRepository.SnapshotRow snapshot(Caller caller, String uuid) {
            SnapshotRepository.SnapshotRow snapshot = snapshots.find(uuid).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find snapshot by id " + uuid + " (parameter id)"));
            if (snapshot.accountId() != caller.accountId() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to operate on snapshot " + uuid);
            }
            return snapshot;
        }

        VolumeRepository.VolumeRow volume(Caller caller, String uuid) {
            VolumeRepository.VolumeRow volume = volumes.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find volume by id " + uuid + " (parameter volumeid)"));
            if (volume.accountId() != caller.accountId() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to operate on volume " + uuid);
            }
            return volume;
        }

        @Override
        public Snapshot usable(Caller caller, String snapshotUuid) {
            SnapshotRepository.SnapshotRow snapshot = snapshots.find(snapshotUuid).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find snapshot by id " + snapshotUuid
                            + " (parameter snapshotid)"));
            if (snapshot.accountId() != caller.accountId() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to use snapshot " + snapshotUuid);
            }
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
        registry.register(new CreateSnapshot(deps)).register(new ListSnapshots(deps))
                .register(new RevertSnapshot(deps)).register(new DeleteSnapshot(deps))
                .register(new BackupSnapshot(deps));
    }

    static final class CreateSnapshot implements AsyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("createSnapshot",
                "Creates an instant snapshot of a volume, on its primary storage.", Access.USER, true, "snapshot",
                List.of(required("volumeid", ParamType.UUID, "The ID of the disk volume"),
                        optional("name", ParamType.STRING, "the name of the snapshot; <vm or detached>_<volume>_<time>"
                                + " when absent"),
                        optional("policyid", ParamType.UUID, "not supported yet: snapshots are manual"),
                        optional("quiescevm", ParamType.BOOLEAN, "quiesce vm if true; not supported for RBD volumes"),
                        optional("locationtype", ParamType.STRING, "only for managed storage, which RBD is not"),
                        optional("asyncbackup", ParamType.BOOLEAN, "with snapshot.backup.to.secondary=true: the job ends once"
                                + " the snapshot is taken (BackingUp) and the backup goes on in a backupSnapshot job"),
                        optional("account", ParamType.STRING, "accepted; the snapshot belongs to the volume's owner"),
                        optional("domainid", ParamType.UUID, "accepted; the snapshot belongs to the volume's owner")));

        private final Deps deps;

        CreateSnapshot(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            VolumeRepository.VolumeRow volume = deps.volume(caller, args.requireString("volumeid"));
            if (args.string("locationtype").isPresent()) {
                throw ApiException.invalidParameter("VolumeId: " + volume.uuid() + " LocationType is supported only"
                        + " for managed storage (parameter locationtype); RBD snapshots stay on primary storage");
            }
            if (args.flag("quiescevm")) {
                throw ApiException.invalidParameter("Can't handle quiescevm equal true for volume snapshot"
                        + " (parameter quiescevm)");
            }
            if (args.uuid("policyid").isPresent()) {
                throw ApiException.invalidParameter("Snapshot policies are not supported yet (parameter policyid)");
            }
            if (deps.settings().bool(Setting.SNAPSHOT_BACKUP_TO_SECONDARY)) {
                deps.backups().requireImageStore(volume.zoneId(), volume.zoneName());
            }
            String uuid = UUID.randomUUID().toString();
            String name = args.string("name").map(String::trim).filter(n -> !n.isEmpty()).orElseGet(() ->
                    "detached_" + volume.name() + "_" + ZonedDateTime.now(ZoneOffset.UTC).format(NAME_TIME));
            SnapshotRepository.SnapshotRow allocated = deps.service().allocate(volume, uuid, name);
            boolean inBackground = args.flag("asyncbackup");
            return new AsyncStart("Snapshot", uuid, progress -> {
                SnapshotRepository.SnapshotRow taken = deps.service().create(allocated);
                if (deps.settings().bool(Setting.SNAPSHOT_BACKUP_TO_SECONDARY)) {
                    deps.backups().beginBackup(taken);
                    if (inBackground) {
                        // A job of its own: listed, its failure recorded, and a crash settled by the cleanup.
                        SnapshotRepository.SnapshotRow backingUp = deps.snapshots().find(uuid).orElseThrow();
                        deps.jobs().submit(caller, "backupSnapshot", Map.of("id", uuid), new AsyncStart("Snapshot",
                                uuid, backup -> ApiJson.object("snapshot", deps.backups().backup(backingUp).view())));
                        taken = backingUp;
                    } else {
                        taken = deps.backups().backup(taken);
                    }
                }
                return ApiJson.object("snapshot", taken.view());
            });
        }
    }

    static final class ListSnapshots implements SyncCommand {
        private static final Set<String> TYPES = Set.of("MANUAL", "RECURRING");
        private static final CommandSpec SPEC = new CommandSpec("listSnapshots", "Lists all available snapshots for"
                + " the account.", Access.USER, false, "snapshot", List.of(
                optional("id", ParamType.UUID, "lists snapshot by snapshot ID"),
                optional("volumeid", ParamType.UUID, "the ID of the disk volume"),
                optional("name", ParamType.STRING, "lists snapshot by snapshot name"),
                optional("keyword", ParamType.STRING, "List by keyword"),
                optional("zoneid", ParamType.UUID, "list snapshots by zone id"),
                optional("snapshottype", ParamType.STRING, "valid values are MANUAL or RECURRING"),
                optional("intervaltype", ParamType.STRING, "valid values are HOURLY, DAILY, WEEKLY, and MONTHLY;"
                        + " only MANUAL snapshots exist so far"),
                optional("listall", ParamType.BOOLEAN, "true: every snapshot the caller may see (root admins: all)"),
                optional("page", ParamType.INTEGER, "page number, from 1"),
                optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final Deps deps;

        ListSnapshots(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            Optional<String> type = args.string("snapshottype").map(t -> t.toUpperCase(java.util.Locale.ROOT));
            if (type.isPresent() && !TYPES.contains(type.get())) {
                throw ApiException.invalidParameter("Unsupported snapshot type " + args.string("snapshottype").get()
                        + " (parameter snapshottype: MANUAL or RECURRING)");
            }
            if (args.string("intervaltype").isPresent() || type.filter("RECURRING"::equals).isPresent()) {
                // Recurring snapshots come with policies; until then every snapshot is MANUAL.
                return ApiJson.list("snapshot", List.of(), 0);
            }
            boolean everyAccount = caller.isRootAdmin() && (args.flag("listall") || args.uuid("id").isPresent());
            SnapshotRepository.Filter filter = new SnapshotRepository.Filter(
                    everyAccount ? Optional.empty() : Optional.of(caller.accountId()), args.uuid("id"),
                    args.uuid("volumeid"), args.string("name"), args.keyword(), args.uuid("zoneid"),
                    type);
            List<SnapshotView> views = deps.snapshots().list(filter, args.paging().sql()).stream()
                    .map(SnapshotRepository.SnapshotRow::view).toList();
            return ApiJson.list("snapshot", views, deps.snapshots().count(filter));
        }
    }

    static final class RevertSnapshot implements AsyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("revertSnapshot", "This is supposed to revert a"
                + " volume snapshot. The volume's content and size go back to the snapshot's.", Access.USER, true,
                "snapshot", List.of(required("id", ParamType.UUID, "The ID of the snapshot")));

        private final Deps deps;

        RevertSnapshot(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            SnapshotRepository.SnapshotRow snapshot = deps.snapshot(caller, args.requireString("id"));
            deps.service().beginRevert(snapshot);
            return new AsyncStart("Snapshot", snapshot.uuid(), progress -> ApiJson.object("snapshot",
                    deps.service().revert(snapshot).view()));
        }
    }

    /** rbdstack's own command (CloudStack has none): back an existing snapshot up to secondary storage now. */
    static final class BackupSnapshot implements AsyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("backupSnapshot", "Backs a snapshot on primary"
                + " storage up to the zone's image store: incrementally to the previous backup of its volume when it"
                + " can, else in full. The snapshot stays on primary storage.", Access.USER, true, "snapshot",
                List.of(required("id", ParamType.UUID, "The ID of the snapshot")));

        private final Deps deps;

        BackupSnapshot(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            SnapshotRepository.SnapshotRow snapshot = deps.snapshot(caller, args.requireString("id"));
            deps.backups().beginBackup(snapshot);
            return new AsyncStart("Snapshot", snapshot.uuid(), progress -> ApiJson.object("snapshot",
                    deps.backups().backup(snapshot).view()));
        }
    }

    static final class DeleteSnapshot implements AsyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("deleteSnapshot", "Deletes a snapshot of a disk"
                + " volume.", Access.USER, true, "success",
                List.of(required("id", ParamType.UUID, "The ID of the snapshot")));

        private final Deps deps;

        DeleteSnapshot(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            SnapshotRepository.SnapshotRow snapshot = deps.snapshot(caller, args.requireString("id"));
            deps.service().beginDelete(snapshot);
            return new AsyncStart("Snapshot", snapshot.uuid(), progress -> {
                deps.service().delete(snapshot);
                return ApiJson.success();
            });
        }
    }
}
