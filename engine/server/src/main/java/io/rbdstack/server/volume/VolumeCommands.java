package io.rbdstack.server.volume;

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
import io.rbdstack.server.db.PageAndCount;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.offering.DiskOffering;
import io.rbdstack.server.offering.DiskOfferingRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.tag.TagRepository;
import io.rbdstack.server.tag.TagView;
import io.rbdstack.server.tag.TaggedType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * createVolume, listVolumes, listVolumesMetrics, resizeVolume, deleteVolume (data disks on primary storage) and
 * rbdstack's flattenVolume.
 */
public final class VolumeCommands {

    private VolumeCommands() {
    }

    /** What the commands share: lookups with CloudStack's errors, access checks and size rules. */
    public record Deps(ZoneRepository zones, DiskOfferingRepository offerings, VolumeRepository volumes,
                       VolumeService service, SettingsRepository settings, SnapshotSource snapshots, Owners owners,
                       TagRepository tags, CloneFlattening flattening) {

        /** The volume (the caller's right to it was checked when its id was bound). */
        VolumeRepository.VolumeRow volume(String uuid) {
            return volumes.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find volume by id " + uuid + " (parameter id)"));
        }

        DiskOffering offering(String uuid) {
            return offerings.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Please specify a valid disk offering: no disk offering with id " + uuid + " (parameter diskofferingid)"));
        }

        /** A user-chosen size in GB, within custom.diskoffering.size.min/max; in bytes. */
        long customSize(long gb) {
            return VolumeSize.custom(gb, settings.longValue(Setting.CUSTOM_DISKOFFERING_SIZE_MIN),
                    settings.longValue(Setting.CUSTOM_DISKOFFERING_SIZE_MAX), "size");
        }

        /** A page of the volumes listVolumes shows, with their tags. */
        /** A page of the volumes the caller asks for and may see, with their tags, and the count of all. */
        PageAndCount.Result<VolumeView> list(Caller caller, VolumeListParams params, OwnerParams owner,
                                             PageParams page) {
            VolumeRepository.Filter filter = params.filter(owner.scope(caller, owners, params.id().isPresent()));
            PageAndCount.Result<VolumeRepository.VolumeRow> found = PageAndCount.read(
                    () -> volumes.list(filter, page.sql()), () -> volumes.count(filter));
            Map<Long, List<TagView>> tagged = tags.of(TaggedType.Volume, found.rows().stream()
                    .map(VolumeRepository.VolumeRow::id).toList());
            return new PageAndCount.Result<>(found.rows().stream()
                    .map(v -> v.view(tagged.getOrDefault(v.id(), List.of()))).toList(), found.count());
        }

        /** Only Ready volumes can be resized or deleted; anything else is mid-operation (or never got made). */
        static void requireReady(VolumeRepository.VolumeRow volume, String what) {
            if (volume.state() != VolumeState.Ready) {
                throw ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") is "
                        + volume.state() + "; only a Ready volume can be " + what);
            }
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateVolume.class, deps);
        registry.register(ListVolumes.class, deps);
        registry.register(ListVolumesMetrics.class, deps);
        registry.register(ResizeVolume.class, deps);
        registry.register(DeleteVolume.class, deps);
        registry.register(FlattenVolume.class, deps);
    }

    @Command(name = "createVolume", description = "Creates a disk volume from a disk offering, or of a size in GB, on a"
            + " primary storage pool of the zone, or from a snapshot on the snapshot's pool. The volume is created on"
            + " the storage at once.", access = Access.USER, response = "volume", event = "VOLUME.CREATE")
    record CreateVolume(
            @Param(description = "the name of the disk volume; a random one when absent", column = "volumes.name")
            Optional<String> name,
            @Param(description = "the ID of the availability zone (required unless snapshotid is given)",
                    entity = Entity.ZONE) Optional<String> zoneId,
            @Param(description = "the snapshot the volume is made from; it gets the snapshot's content and size, and"
                    + " its volume's disk offering", entity = Entity.SNAPSHOT, acl = true) Optional<String> snapshotId,
            @Param(description = "the ID of the disk offering; its tags choose the pool", entity = Entity.DISK_OFFERING)
            Optional<String> diskOfferingId,
            @Param(description = "size in GB, for a customized disk offering or without one; within"
                    + " custom.diskoffering.size.min and .max") Optional<Long> size,
            @Param(description = "not supported yet: the volume belongs to the caller") Optional<String> account,
            @Param(description = "not supported yet: the volume belongs to the caller", entity = Entity.DOMAIN)
            Optional<String> domainId) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            if (snapshotId.isPresent()) {
                return fromSnapshot(caller, deps);
            }
            String zoneUuid = zoneId.orElseThrow(() -> ApiException.invalidParameter(
                    "Missing parameter zoneid: the zone the volume is created in"));
            long zone = deps.zones().idOf(zoneUuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneUuid + " (parameter zoneid)"));
            String zoneName = deps.zones().find(zoneUuid).map(ZoneRepository.ZoneView::name).orElse(zoneUuid);
            Optional<DiskOffering> offering = diskOfferingId.map(deps::offering);
            long sizeBytes = VolumeSize.forNewVolume(offering, size, deps.settings());
            String uuid = UUID.randomUUID().toString();
            VolumeRepository.VolumeRow allocated = deps.service().allocate(caller, uuid, nameOr(uuid), zone, zoneName,
                    offering.orElse(null), sizeBytes);
            return new AsyncStart("Volume", uuid, progress -> ApiJson.object("volume",
                    deps.service().create(allocated).view()));
        }

        private String nameOr(String uuid) {
            return name.map(String::trim).filter(n -> !n.isEmpty()).orElse(uuid);
        }

        private AsyncStart fromSnapshot(Caller caller, Deps deps) {
            SnapshotSource.Snapshot snapshot = deps.snapshots().usable(snapshotId.orElseThrow());
            if (diskOfferingId.isPresent() || size.isPresent()) {
                throw ApiException.invalidParameter("A volume made from a snapshot has the snapshot's size and its"
                        + " volume's disk offering: leave out parameter " + (size.isPresent() ? "size" : "diskofferingid"));
            }
            if (zoneId.isPresent() && deps.zones().idOf(zoneId.get()).filter(id -> id == snapshot.zoneId()).isEmpty()) {
                throw ApiException.invalidParameter("Snapshot " + snapshot.name() + " is not in zone " + zoneId.get()
                        + "; a volume is made from a snapshot in the snapshot's zone (parameter zoneid)");
            }
            String uuid = UUID.randomUUID().toString();
            if (snapshot.onPrimary()) {
                // A copy-on-write clone of the snapshot, whatever its size; past rbd.max.clone.depth flattened after.
                VolumeRepository.VolumeRow allocated = deps.service().allocateClone(caller, uuid, nameOr(uuid),
                        snapshot.zoneId(), snapshot.poolId(), snapshot.offeringId(), snapshot.sizeBytes(),
                        snapshot.uuid());
                return new AsyncStart("Volume", uuid, progress -> {
                    VolumeRepository.VolumeRow clone = deps.service().cloneFromSnapshot(allocated,
                            snapshot.volumePath(), snapshot.uuid());
                    deps.flattening().flattenIfTooDeep(caller, clone);
                    return ApiJson.object("volume", clone.view());
                });
            }
            // Only on secondary storage: restored from its backups onto a pool chosen as for a new volume.
            DiskOffering offering = Optional.ofNullable(snapshot.offeringUuid()).flatMap(deps.offerings()::find)
                    .orElse(null);
            VolumeRepository.VolumeRow allocated = deps.service().allocate(caller, uuid, nameOr(uuid),
                    snapshot.zoneId(), snapshot.zoneName(), offering, snapshot.sizeBytes());
            return new AsyncStart("Volume", uuid, progress -> ApiJson.object("volume",
                    deps.service().restoreFromBackups(allocated, snapshot.backupChain(), progress.transfer())
                            .view()));
        }
    }

    @Command(name = "listVolumes", description = "Lists all volumes.", access = Access.USER, response = "volume")
    record ListVolumes(VolumeListParams filter, OwnerParams owner, PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            PageAndCount.Result<VolumeView> found = deps.list(caller, filter, owner, page);
            return ApiJson.list("volume", found.rows(), found.count());
        }
    }

    /** CloudStack's metrics view of listVolumes: the same volumes, with their size in GiB as text. */
    @Command(name = "listVolumesMetrics", description = "Lists volume metrics", access = Access.USER,
            response = "volume")
    record ListVolumesMetrics(VolumeListParams filter, OwnerParams owner, PageParams page)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            PageAndCount.Result<VolumeView> found = deps.list(caller, filter, owner, page);
            List<ObjectNode> metrics = found.rows().stream().map(view -> {
                ObjectNode node = ApiJson.MAPPER.valueToTree(view);
                node.put("sizegb", String.format(Locale.ROOT, "%.2f GiB", (double) view.size() / VolumeSize.BYTES_PER_GB));
                node.put("storagetype", "Shared (" + view.type() + ")");
                return node;
            }).toList();
            return ApiJson.list("volume", metrics, found.count());
        }
    }

    @Command(name = "resizeVolume", description = "Resizes a volume. Volumes on RBD only grow.", access = Access.USER,
            response = "volume", event = "VOLUME.RESIZE")
    record ResizeVolume(
            @Param(description = "the ID of the disk volume", entity = Entity.VOLUME, acl = true) String id,
            @Param(description = "new size in GB, for a customized offering or a volume without one; within"
                    + " custom.diskoffering.size.min and .max") Optional<Long> size,
            @Param(description = "new disk offering; its tags must be on the volume's pool",
                    entity = Entity.DISK_OFFERING) Optional<String> diskOfferingId,
            @Param(description = "accepted, but RBD volumes are never shrunk") Optional<Boolean> shrinkOk)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.volume(id);
            Deps.requireReady(volume, "resized");
            Optional<DiskOffering> newOffering = diskOfferingId.map(deps::offering);
            long newBytes;
            Long offeringId = volume.offeringId();
            if (newOffering.isPresent()) {
                DiskOffering offering = newOffering.get();
                if (!deps.service().poolTags(volume).containsAll(offering.tags())) {
                    throw ApiException.invalidParameter("Disk offering " + offering.name() + " needs storage tags "
                            + String.join(",", offering.tags()) + " that pool " + volume.poolName() + " of volume "
                            + volume.name() + " does not have; moving a volume to another pool is not supported");
                }
                if (offering.customized()) {
                    newBytes = deps.customSize(size.orElseThrow(() -> ApiException.invalidParameter(
                            "This disk offering requires a custom size specified (parameter size, in GB)")));
                } else if (size.isPresent()) {
                    throw ApiException.invalidParameter("This disk offering does not allow custom size: disk offering "
                            + offering.name() + " has " + VolumeSize.wholeGb(offering.sizeBytes()) + " GB (parameter size)");
                } else {
                    newBytes = offering.sizeBytes();
                }
                offeringId = offering.id();
            } else {
                boolean fixed = Optional.ofNullable(volume.offeringUuid()).flatMap(deps.offerings()::findEvenDeleted)
                        .map(o -> !o.customized()).orElse(false);
                if (fixed) {
                    throw ApiException.invalidParameter("To change the size of volume " + volume.name()
                            + " without a new disk offering, its disk offering " + volume.offeringName()
                            + " must be customized; give diskofferingid");
                }
                newBytes = deps.customSize(size.orElseThrow(() -> ApiException.invalidParameter(
                        "Missing parameter size: the new size in GB (or diskofferingid)")));
            }
            if (newBytes < volume.sizeBytes()) {
                throw ApiException.invalidParameter("Cannot shrink volume " + volume.name() + " from "
                        + VolumeSize.describe(volume.sizeBytes()) + " to " + VolumeSize.describe(newBytes)
                        + ": volumes on RBD only grow" + (shrinkOk.orElse(false)
                        ? "; shrinkok=true is accepted but does not change that"
                        : ", even with shrinkok=true") + ", since shrinking an RBD image cuts off data the guest may"
                        + " still use");
            }
            deps.service().beginResize(volume, newBytes);
            long target = newBytes;
            Long offering = offeringId;
            return new AsyncStart("Volume", volume.uuid(), progress -> ApiJson.object("volume",
                    deps.service().resize(volume, target, offering).view()));
        }
    }

    @Command(name = "deleteVolume", description = "Deletes a detached disk volume and its snapshots from its storage.",
            access = Access.USER, response = "success", event = "VOLUME.DELETE")
    record DeleteVolume(@Param(description = "The ID of the disk volume", entity = Entity.VOLUME, acl = true) String id)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.volume(id);
            if (volume.attached()) {
                throw ApiException.invalidParameter("Please specify a volume that is not attached to any VM.");
            }
            Deps.requireReady(volume, "deleted");
            deps.service().delete(volume);
            return ApiJson.success();
        }
    }

    @Command(name = "flattenVolume", description = "rbdstack's own command (CloudStack has none): copies into a volume"
            + " cloned from a snapshot or a template the data it shares with it, so that it no longer depends on"
            + " it (the snapshot can then be deleted). The volume stays Ready and usable meanwhile.",
            access = Access.USER, response = "volume", event = "VOLUME.FLATTEN")
    record FlattenVolume(@Param(description = "the ID of the disk volume", entity = Entity.VOLUME, acl = true) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.volume(id);
            Deps.requireReady(volume, "flattened");
            if (!deps.service().clones().isClone(volume.id())) {
                throw ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") is not a"
                        + " clone of a snapshot or a template: there is nothing to flatten (parameter id)");
            }
            return deps.flattening().job(volume);
        }
    }
}
