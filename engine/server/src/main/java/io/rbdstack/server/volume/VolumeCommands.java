package io.rbdstack.server.volume;

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
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.offering.DiskOffering;
import io.rbdstack.server.offering.DiskOfferingRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** createVolume, listVolumes, resizeVolume and deleteVolume (data disks on primary storage). */
public final class VolumeCommands {

    private VolumeCommands() {
    }

    /** What the commands share: lookups with CloudStack's errors, access checks and size rules. */
    public record Deps(ZoneRepository zones, DiskOfferingRepository offerings, VolumeRepository volumes,
                       VolumeService service, SettingsRepository settings, SnapshotSource snapshots) {

        /** The volume if the caller may operate on it: its owner's account or a root admin. */
        VolumeRepository.VolumeRow volume(Caller caller, String uuid) {
            VolumeRepository.VolumeRow volume = volumes.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find volume by id " + uuid + " (parameter id)"));
            if (volume.accountId() != caller.accountId() && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Account " + caller.accountName()
                        + " does not have permission to operate on volume " + uuid);
            }
            return volume;
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

        /** Only Ready volumes can be resized or deleted; anything else is mid-operation (or never got made). */
        static void requireReady(VolumeRepository.VolumeRow volume, String what) {
            if (volume.state() != VolumeState.Ready) {
                throw ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") is "
                        + volume.state() + "; only a Ready volume can be " + what);
            }
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(new CreateVolume(deps)).register(new ListVolumes(deps)).register(new ResizeVolume(deps))
                .register(new DeleteVolume(deps));
    }

    static final class CreateVolume implements AsyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("createVolume",
                "Creates a disk volume from a disk offering, or of a size in GB, on a primary storage pool of the zone,"
                        + " or from a snapshot on the snapshot's pool. The volume is created on the storage at once.",
                Access.USER, true, "volume", List.of(
                optional("name", ParamType.STRING, "the name of the disk volume; a random one when absent"),
                optional("zoneid", ParamType.UUID, "the ID of the availability zone (required unless snapshotid is"
                        + " given)"),
                optional("snapshotid", ParamType.UUID, "the snapshot the volume is made from; it gets the snapshot's"
                        + " content and size, and its volume's disk offering"),
                optional("diskofferingid", ParamType.UUID, "the ID of the disk offering; its tags choose the pool"),
                optional("size", ParamType.LONG, "size in GB, for a customized disk offering or without one"),
                optional("account", ParamType.STRING, "not supported yet: the volume belongs to the caller"),
                optional("domainid", ParamType.UUID, "not supported yet: the volume belongs to the caller")));

        private final Deps deps;

        CreateVolume(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            if (args.uuid("snapshotid").isPresent()) {
                return fromSnapshot(caller, args);
            }
            String zoneUuid = args.uuid("zoneid").orElseThrow(() -> ApiException.invalidParameter(
                    "Missing parameter zoneid: the zone the volume is created in"));
            long zoneId = deps.zones().idOf(zoneUuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneUuid + " (parameter zoneid)"));
            String zoneName = deps.zones().find(zoneUuid).map(ZoneRepository.ZoneView::name).orElse(zoneUuid);
            Optional<DiskOffering> offering = args.uuid("diskofferingid").map(deps::offering);
            long sizeBytes = size(offering, args.longValue("size"));
            String uuid = UUID.randomUUID().toString();
            String name = args.string("name").map(String::trim).filter(n -> !n.isEmpty()).orElse(uuid);
            VolumeRepository.VolumeRow allocated = deps.service().allocate(caller, uuid, name, zoneId, zoneName,
                    offering.orElse(null), sizeBytes);
            return new AsyncStart("Volume", uuid, progress -> ApiJson.object("volume",
                    deps.service().create(allocated).view()));
        }

        private AsyncStart fromSnapshot(Caller caller, ApiArgs args) {
            SnapshotSource.Snapshot snapshot = deps.snapshots().usable(caller, args.uuid("snapshotid").orElseThrow());
            for (String fixed : List.of("diskofferingid", "size")) {
                if (args.string(fixed).isPresent()) {
                    throw ApiException.invalidParameter("A volume made from a snapshot has the snapshot's size and its"
                            + " volume's disk offering: leave out parameter " + fixed);
                }
            }
            Optional<String> zoneUuid = args.uuid("zoneid");
            if (zoneUuid.isPresent() && deps.zones().idOf(zoneUuid.get()).filter(id -> id == snapshot.zoneId())
                    .isEmpty()) {
                throw ApiException.invalidParameter("Snapshot " + snapshot.name() + " is not in zone " + zoneUuid.get()
                        + "; a volume is made from a snapshot in the snapshot's zone (parameter zoneid)");
            }
            String uuid = UUID.randomUUID().toString();
            String name = args.string("name").map(String::trim).filter(n -> !n.isEmpty()).orElse(uuid);
            if (snapshot.onPrimary()) {
                VolumeRepository.VolumeRow allocated = deps.service().allocateOnPool(caller, uuid, name,
                        snapshot.zoneId(), snapshot.poolId(), snapshot.offeringId(), snapshot.sizeBytes());
                return new AsyncStart("Volume", uuid, progress -> ApiJson.object("volume",
                        deps.service().createFromSnapshot(allocated, snapshot.volumePath(), snapshot.uuid()).view()));
            }
            // Only on secondary storage: restored from its backups onto a pool chosen as for a new volume.
            DiskOffering offering = Optional.ofNullable(snapshot.offeringUuid()).flatMap(deps.offerings()::find)
                    .orElse(null);
            VolumeRepository.VolumeRow allocated = deps.service().allocate(caller, uuid, name, snapshot.zoneId(),
                    snapshot.zoneName(), offering, snapshot.sizeBytes());
            return new AsyncStart("Volume", uuid, progress -> ApiJson.object("volume",
                    deps.service().restoreFromBackups(allocated, snapshot.backupChain()).view()));
        }

        /** CloudStack's rules: a fixed offering has its size, a customized one or none needs size. */
        private long size(Optional<DiskOffering> offering, Optional<Long> sizeGb) {
            if (offering.isPresent() && !offering.get().customized()) {
                if (sizeGb.isPresent()) {
                    throw ApiException.invalidParameter("This disk offering does not allow custom size: disk offering "
                            + offering.get().name() + " has " + VolumeSize.wholeGb(offering.get().sizeBytes())
                            + " GB (parameter size)");
                }
                return offering.get().sizeBytes();
            }
            if (sizeGb.isEmpty()) {
                throw ApiException.invalidParameter(offering.isPresent()
                        ? "This disk offering requires a custom size specified (parameter size, in GB)"
                        : "Give a disk offering (parameter diskofferingid) or a size in GB (parameter size)");
            }
            return deps.customSize(sizeGb.get());
        }
    }

    static final class ListVolumes implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listVolumes", "Lists all volumes.", Access.USER, false,
                "volume", List.of(
                optional("id", ParamType.UUID, "the ID of the disk volume"),
                optional("name", ParamType.STRING, "the name of the disk volume"),
                optional("zoneid", ParamType.UUID, "the ID of the availability zone"),
                optional("storageid", ParamType.UUID, "the ID of the storage pool"),
                optional("type", ParamType.STRING, "the type of disk volume: DATADISK (ROOT disks come with VMs)"),
                optional("keyword", ParamType.STRING, "List by keyword"),
                optional("listall", ParamType.BOOLEAN, "false (default): only the caller's volumes; true: every"
                        + " volume the caller may see (root admins: all)"),
                optional("page", ParamType.INTEGER, "page number, from 1"),
                optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final Deps deps;

        ListVolumes(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            // As in CloudStack: root admins see every account's volumes with listall=true or when asking
            // for one by id; everyone else only ever sees their own account's.
            boolean everyAccount = caller.isRootAdmin() && (args.flag("listall") || args.uuid("id").isPresent());
            VolumeRepository.Filter filter = new VolumeRepository.Filter(
                    everyAccount ? Optional.empty() : Optional.of(caller.accountId()), args.uuid("id"),
                    args.string("name"), args.uuid("zoneid"), args.uuid("storageid"), args.keyword(),
                    args.string("type"));
            List<VolumeView> views = deps.volumes().list(filter, args.paging().sql()).stream()
                    .map(VolumeRepository.VolumeRow::view).toList();
            return ApiJson.list("volume", views, deps.volumes().count(filter));
        }
    }

    static final class ResizeVolume implements AsyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("resizeVolume",
                "Resizes a volume. Volumes on RBD only grow.", Access.USER, true, "volume", List.of(
                required("id", ParamType.UUID, "the ID of the disk volume"),
                optional("size", ParamType.LONG, "new size in GB, for a customized offering or a volume without one"),
                optional("diskofferingid", ParamType.UUID, "new disk offering; its tags must be on the volume's pool"),
                optional("shrinkok", ParamType.BOOLEAN, "accepted, but RBD volumes are never shrunk")));

        private final Deps deps;

        ResizeVolume(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            VolumeRepository.VolumeRow volume = deps.volume(caller, args.requireString("id"));
            Deps.requireReady(volume, "resized");
            Optional<Long> sizeGb = args.longValue("size");
            Optional<DiskOffering> newOffering = args.uuid("diskofferingid").map(deps::offering);
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
                    newBytes = deps.customSize(sizeGb.orElseThrow(() -> ApiException.invalidParameter(
                            "This disk offering requires a custom size specified (parameter size, in GB)")));
                } else if (sizeGb.isPresent()) {
                    throw ApiException.invalidParameter("This disk offering does not allow custom size: disk offering "
                            + offering.name() + " has " + VolumeSize.wholeGb(offering.sizeBytes()) + " GB (parameter size)");
                } else {
                    newBytes = offering.sizeBytes();
                }
                offeringId = offering.id();
            } else {
                boolean fixed = Optional.ofNullable(volume.offeringUuid()).flatMap(deps.offerings()::find)
                        .map(o -> !o.customized()).orElse(false);
                if (fixed) {
                    throw ApiException.invalidParameter("To change the size of volume " + volume.name()
                            + " without a new disk offering, its disk offering " + volume.offeringName()
                            + " must be customized; give diskofferingid");
                }
                newBytes = deps.customSize(sizeGb.orElseThrow(() -> ApiException.invalidParameter(
                        "Missing parameter size: the new size in GB (or diskofferingid)")));
            }
            if (newBytes < volume.sizeBytes()) {
                throw ApiException.invalidParameter("Cannot shrink volume " + volume.name() + " from "
                        + VolumeSize.describe(volume.sizeBytes()) + " to " + VolumeSize.describe(newBytes)
                        + ": volumes on RBD only grow" + (args.flag("shrinkok")
                        ? "; shrinkok=true is accepted but does not change that"
                        : ", even with shrinkok=true") + ", since shrinking an RBD image cuts off data the guest may"
                        + " still use");
            }
            deps.service().beginResize(volume, newBytes);
            long size = newBytes;
            Long offering = offeringId;
            return new AsyncStart("Volume", volume.uuid(), progress -> ApiJson.object("volume",
                    deps.service().resize(volume, size, offering).view()));
        }
    }

    static final class DeleteVolume implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("deleteVolume",
                "Deletes a detached disk volume and its snapshots from its storage.", Access.USER, false, "success",
                List.of(required("id", ParamType.UUID, "The ID of the disk volume")));

        private final Deps deps;

        DeleteVolume(Deps deps) {
            this.deps = deps;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            VolumeRepository.VolumeRow volume = deps.volume(caller, args.requireString("id"));
            Deps.requireReady(volume, "deleted");
            deps.service().delete(volume);
            return ApiJson.success();
        }
    }
}
