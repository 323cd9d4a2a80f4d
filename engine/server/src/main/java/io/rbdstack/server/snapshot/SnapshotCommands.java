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
import io.rbdstack.server.tag.TagMatch;
import io.rbdstack.server.tag.TagRepository;
import io.rbdstack.server.tag.TagView;
import io.rbdstack.server.tag.TaggedType;
import io.rbdstack.server.db.PageAndCount;
import io.rbdstack.server.snapshot.policy.IntervalType;
import io.rbdstack.server.snapshot.policy.SnapshotPolicyRepository;
import io.rbdstack.server.volume.SnapshotSource;
import io.rbdstack.server.volume.VolumeRepository;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** createSnapshot, listSnapshots, revertSnapshot and deleteSnapshot: volume snapshots on primary storage. */
public final class SnapshotCommands {

    private SnapshotCommands() {
    }

    public record Deps(VolumeRepository volumes, SnapshotRepository snapshots, SnapshotService service,
                       SnapshotBackups backups, SnapshotTaker taker, SnapshotPolicyRepository policies,
                       Owners owners, TagRepository tags)
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

    /**
     * CloudStack's snapshot types a list can ask for: a policy's snapshot has its interval as its type,
     * and RECURRING stands for all four.
     */
    enum SnapshotType {
        MANUAL, RECURRING, HOURLY, DAILY, WEEKLY, MONTHLY;

        List<String> storedTypes() {
            return this == RECURRING ? Arrays.stream(IntervalType.values()).map(Enum::name).toList() : List.of(name());
        }
    }

    @Command(name = "createSnapshot", description = "Creates an instant snapshot of a volume, on its primary storage.",
            access = Access.USER, response = "snapshot", event = "SNAPSHOT.CREATE")
    record CreateSnapshot(
            @Param(description = "The ID of the disk volume", entity = Entity.VOLUME, acl = true) String volumeId,
            @Param(description = "the name of the snapshot; <vm or detached>_<volume>_<time> when absent",
                    column = "snapshots.name") Optional<String> name,
            @Param(description = "a snapshot policy of the volume: the snapshot is one of the policy's (its type is"
                    + " the policy's interval) and the policy's oldest beyond its maxsnaps are deleted",
                    entity = Entity.SNAPSHOT_POLICY, acl = true) Optional<String> policyId,
            @Param(description = "quiesce vm if true: a running VM's file systems are frozen through its"
                    + " qemu-guest-agent while the snapshot is taken; without a guest agent the snapshot is"
                    + " crash-consistent, and an event says so") Optional<Boolean> quiesceVm,
            @Param(description = "only for managed storage, which RBD is not") Optional<String> locationType,
            @Param(description = "with snapshot.backup.to.secondary=true: the job ends once the snapshot is taken"
                    + " (BackingUp) and the backup goes on in a backupSnapshot job") Optional<Boolean> asyncBackup,
            @Param(description = "accepted; the snapshot belongs to the volume's owner") Optional<String> account,
            @Param(description = "accepted; the snapshot belongs to the volume's owner", entity = Entity.DOMAIN)
            Optional<String> domainId) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.volumes().find(volumeId).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find volume by id " + volumeId + " (parameter volumeid)"));
            if (locationType.isPresent()) {
                throw ApiException.invalidParameter("VolumeId: " + volume.uuid() + " LocationType is supported only"
                        + " for managed storage (parameter locationtype); RBD snapshots stay on primary storage");
            }
            Optional<SnapshotPolicyRepository.PolicyRow> policy = policyId.map(id -> policyOf(deps, volume, id));
            SnapshotRepository.SnapshotRow allocated = deps.taker().allocate(volume, name,
                    policy.map(p -> p.interval().name()).orElse(SnapshotRepository.MANUAL));
            return deps.taker().job(caller, allocated, asyncBackup.orElse(false), quiesceVm.orElse(false),
                    policy.map(p -> new SnapshotRetention.Rule(p.interval(), p.maxSnaps())));
        }

        private static SnapshotPolicyRepository.PolicyRow policyOf(Deps deps, VolumeRepository.VolumeRow volume,
                                                                  String policyUuid) {
            SnapshotPolicyRepository.PolicyRow policy = deps.policies().find(policyUuid).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find snapshot policy by id " + policyUuid
                            + " (parameter policyid)"));
            if (policy.volumeId() != volume.id()) {
                throw ApiException.invalidParameter("Snapshot policy " + policyUuid + " is a policy of volume "
                        + policy.volumeName() + ", not of volume " + volume.name() + " (parameter policyid)");
            }
            return policy;
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
            @Param(description = "the snapshot type: MANUAL, RECURRING (taken by a policy) or a policy's interval")
            Optional<SnapshotType> snapshotType,
            @Param(description = "the interval of the policy that took the snapshots") Optional<IntervalType> intervalType,
            @Param(description = "List resources by tags (key/value pairs): snapshots with any of them",
                    column = "resource_tags.value") List<Map<String, String>> tags,
            OwnerParams owner,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            List<String> types = snapshotType.map(SnapshotType::storedTypes).orElse(List.of());
            if (intervalType.isPresent()) {
                String interval = intervalType.get().name();
                if (!types.isEmpty() && !types.contains(interval)) {
                    return ApiJson.list("snapshot", List.of(), 0); // a type and an interval no snapshot has both
                }
                types = List.of(interval);
            }
            SnapshotRepository.Filter filter = new SnapshotRepository.Filter(owner.scope(caller, deps.owners(),
                    id.isPresent()), id, volumeId, name, keyword, zoneId, types, TagMatch.of(tags, "tags"));
            PageAndCount.Result<SnapshotRepository.SnapshotRow> found = PageAndCount.read(
                    () -> deps.snapshots().list(filter, page.sql()), () -> deps.snapshots().count(filter));
            Map<Long, List<TagView>> tagged = deps.tags().of(TaggedType.Snapshot, found.rows().stream()
                    .map(SnapshotRepository.SnapshotRow::id).toList());
            List<SnapshotView> views = found.rows().stream()
                    .map(s -> s.view(tagged.getOrDefault(s.id(), List.of()))).toList();
            return ApiJson.list("snapshot", views, found.count());
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
                    deps.backups().backup(snapshot, progress.transfer()).view()));
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
