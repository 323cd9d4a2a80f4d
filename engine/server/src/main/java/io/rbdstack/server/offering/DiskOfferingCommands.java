package io.rbdstack.server.offering;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommaList;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.settings.SettingsRepository;
import java.util.List;
import java.util.Optional;

/** createDiskOffering, updateDiskOffering, deleteDiskOffering (admins) and listDiskOfferings (everyone). */
public final class DiskOfferingCommands {

    /** RBD images are always thin: nothing is written until the guest writes. */
    static final String THIN = "thin";

    private DiskOfferingCommands() {
    }

    /** What the offering commands need. */
    public record Deps(DiskOfferingRepository offerings, SettingsRepository settings) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateDiskOffering.class, deps);
        registry.register(ListDiskOfferings.class, deps.offerings());
        registry.register(UpdateDiskOffering.class, deps.offerings());
        registry.register(DeleteDiskOffering.class, deps.offerings());
    }

    @Command(name = "createDiskOffering", description = "Creates a disk offering.", access = Access.ADMIN,
            response = "diskoffering", event = "DISK.OFFERING.CREATE")
    record CreateDiskOffering(
            @Param(description = "name of the disk offering", column = "disk_offering.name") String name,
            @Param(description = "an alternate display text of the disk offering; defaults to the name", length = 4096,
                    column = "disk_offering.display_text") Optional<String> displayText,
            @Param(description = "size of the disk offering in GB (1 GB = 1024^3 bytes)") Optional<Long> diskSize,
            @Param(description = "whether the user chooses the size (then disksize is not allowed)")
            Optional<Boolean> customized,
            @Param(description = "storage tags, comma-separated: a volume goes to a pool carrying all of them",
                    length = 4096, column = "disk_offering.tags") Optional<String> tags,
            @Param(description = "provisioning type: thin (RBD images are always thin)") Optional<String> provisioningType,
            @Param(description = "the storage type: shared (local storage is not supported)") Optional<String> storageType,
            @Param(description = "whether the disk offering has a custom IOPS range, chosen per volume")
            Optional<Boolean> customizedIops,
            @Param(description = "min iops of the disk offering", min = 0) Optional<Long> minIops,
            @Param(description = "max iops of the disk offering", min = 0) Optional<Long> maxIops,
            ThrottleParams throttles) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a disk offering needs a name");
            }
            boolean custom = customized.orElse(false);
            if (!custom && diskSize.isEmpty()) {
                throw ApiException.invalidParameter("Disksize is required for a non-customized disk offering");
            }
            if (custom && diskSize.isPresent()) {
                throw ApiException.invalidParameter("Disksize is not allowed for a customized disk offering");
            }
            long sizeBytes = 0;
            if (diskSize.isPresent()) {
                sizeBytes = OfferingChecks.diskBytes(diskSize.get(), "disksize", deps.settings());
            }
            OfferingChecks.thinAndShared(provisioningType, storageType);
            String uuid = deps.offerings().create(new DiskOfferingRepository.NewOffering(trimmed,
                    displayText.orElse(trimmed), sizeBytes, custom,
                    tags.map(CommaList::parse).orElse(List.of()).stream().distinct().toList(), THIN, qos()));
            return ApiJson.object("diskoffering", deps.offerings().find(uuid).orElseThrow().view());
        }

        /** CloudStack's rules: an IOPS range is either fixed here (min at most max) or chosen per volume. */
        private DiskOffering.Qos qos() {
            boolean customIops = customizedIops.orElse(false);
            if (customIops && (minIops.isPresent() || maxIops.isPresent())) {
                throw ApiException.invalidParameter("Min/max IOPS are chosen per volume for a disk offering with"
                        + " customizediops=true: leave out parameters miniops and maxiops");
            }
            if (minIops.isPresent() && maxIops.isPresent() && minIops.get() > maxIops.get()) {
                throw ApiException.invalidParameter("The min IOPS must be less than or equal to the max IOPS"
                        + " (parameters miniops " + minIops.get() + ", maxiops " + maxIops.get() + ")");
            }
            return new DiskOffering.Qos(customIops, minIops.orElse(null), maxIops.orElse(null),
                    throttles.bytesReadRate().orElse(null), throttles.bytesWriteRate().orElse(null),
                    throttles.iopsReadRate().orElse(null), throttles.iopsWriteRate().orElse(null));
        }
    }

    @Command(name = "listDiskOfferings", description = "Lists all available disk offerings.", access = Access.USER,
            response = "diskoffering")
    record ListDiskOfferings(@Param(description = "ID of the disk offering", entity = Entity.DISK_OFFERING)
                             Optional<String> id,
                             @Param(description = "name of the disk offering") Optional<String> name,
                             @Param(description = "List by keyword") Optional<String> keyword,
                             PageParams page) implements SyncCommand<DiskOfferingRepository> {

        @Override
        public ObjectNode execute(Caller caller, DiskOfferingRepository offerings) {
            DiskOfferingRepository.Filter filter = new DiskOfferingRepository.Filter(id, name, keyword);
            return ApiJson.list("diskoffering", offerings.list(filter, page.sql()).stream()
                    .map(DiskOffering::view).toList(), offerings.count(filter));
        }
    }

    @Command(name = "updateDiskOffering", description = "Updates a disk offering. Volumes made with it keep the size"
            + " they have.", access = Access.ADMIN, response = "diskoffering",
            event = "DISK.OFFERING.EDIT")
    record UpdateDiskOffering(
            @Param(description = "ID of the disk offering", entity = Entity.DISK_OFFERING) String id,
            @Param(description = "updates name of the disk offering with this value", column = "disk_offering.name")
            Optional<String> name,
            @Param(description = "updates alternate display text of the disk offering with this value", length = 4096,
                    column = "disk_offering.display_text") Optional<String> displayText,
            @Param(description = "comma-separated list of storage tags for the disk offering", length = 4096,
                    column = "disk_offering.tags") Optional<String> tags,
            ThrottleParams throttles) implements SyncCommand<DiskOfferingRepository> {

        @Override
        public ObjectNode execute(Caller caller, DiskOfferingRepository offerings) {
            DiskOffering offering = offerings.find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find disk offering by id " + id + " (parameter id); it may have been deleted"));
            Optional<String> newName = name.map(String::trim);
            if (newName.filter(String::isEmpty).isPresent()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a disk offering needs a name");
            }
            offerings.update(offering.id(), new DiskOfferingRepository.OfferingUpdate(newName, displayText,
                    tags.map(t -> CommaList.parse(t).stream().distinct().toList()),
                    throttles.bytesReadRate(), throttles.bytesWriteRate(), throttles.iopsReadRate(),
                    throttles.iopsWriteRate()));
            return ApiJson.object("diskoffering", offerings.find(id).orElseThrow().view());
        }
    }

    @Command(name = "deleteDiskOffering", description = "Deletes a disk offering: it is no longer offered, and the"
            + " volumes made with it keep what they have.", access = Access.ADMIN, response = "success",
            event = "DISK.OFFERING.DELETE")
    record DeleteDiskOffering(@Param(description = "ID of the disk offering", entity = Entity.DISK_OFFERING) String id)
            implements SyncCommand<DiskOfferingRepository> {

        @Override
        public ObjectNode execute(Caller caller, DiskOfferingRepository offerings) {
            DiskOffering offering = offerings.find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find disk offering by id " + id + " (parameter id); it may have been deleted"));
            offerings.delete(offering.id());
            return ApiJson.success();
        }
    }
}
