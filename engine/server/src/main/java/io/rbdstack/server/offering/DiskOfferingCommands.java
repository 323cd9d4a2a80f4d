package io.rbdstack.server.offering;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.volume.VolumeSize;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** createDiskOffering (admins) and listDiskOfferings (everyone). */
public final class DiskOfferingCommands {

    /** RBD images are always thin: nothing is written until the guest writes. */
    static final String THIN = "thin";

    private DiskOfferingCommands() {
    }

    public static void register(CommandRegistry registry, DiskOfferingRepository offerings, SettingsRepository settings) {
        registry.register(new CreateDiskOffering(offerings, settings)).register(new ListDiskOfferings(offerings));
    }

    static final class CreateDiskOffering implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("createDiskOffering", "Creates a disk offering.",
                Access.ADMIN, false, "diskoffering", List.of(
                required("name", ParamType.STRING, "name of the disk offering"),
                optional("displaytext", ParamType.STRING, "an alternate display text of the disk offering; defaults to the name"),
                optional("disksize", ParamType.LONG, "size of the disk offering in GB (1 GB = 1024^3 bytes)"),
                optional("customized", ParamType.BOOLEAN, "whether the user chooses the size (then disksize is not allowed)"),
                optional("tags", ParamType.STRING, "storage tags: a volume goes to a pool carrying all of them"),
                optional("provisioningtype", ParamType.STRING, "provisioning type: thin (RBD images are always thin)"),
                optional("storagetype", ParamType.STRING, "the storage type: shared (local storage is not supported)")));

        private final DiskOfferingRepository offerings;
        private final SettingsRepository settings;

        CreateDiskOffering(DiskOfferingRepository offerings, SettingsRepository settings) {
            this.offerings = offerings;
            this.settings = settings;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String name = args.requireString("name").trim();
            if (name.isEmpty()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a disk offering needs a name");
            }
            boolean customized = args.flag("customized");
            Optional<Long> sizeGb = args.longValue("disksize");
            if (!customized && sizeGb.isEmpty()) {
                throw ApiException.invalidParameter("Disksize is required for a non-customized disk offering");
            }
            if (customized && sizeGb.isPresent()) {
                throw ApiException.invalidParameter("Disksize is not allowed for a customized disk offering");
            }
            long sizeBytes = 0;
            if (sizeGb.isPresent()) {
                long max = settings.longValue(Setting.STORAGE_MAX_VOLUME_SIZE);
                if (sizeGb.get() < 1) {
                    throw ApiException.invalidParameter("Please specify a disk size of at least 1 GB.");
                }
                if (sizeGb.get() > max) {
                    throw ApiException.invalidParameter("The maximum size for a disk is " + max + " GB"
                            + " (storage.max.volume.size).");
                }
                sizeBytes = VolumeSize.bytes(sizeGb.get(), "disksize");
            }
            String provisioning = args.string("provisioningtype").map(p -> p.toLowerCase(Locale.ROOT)).orElse(THIN);
            if (!provisioning.equals(THIN)) {
                throw ApiException.invalidParameter("Invalid value '" + args.string("provisioningtype").orElseThrow()
                        + "' for parameter provisioningtype: RBD images are always thin-provisioned, so only thin is"
                        + " offered");
            }
            args.string("storagetype").filter(t -> !t.equalsIgnoreCase("shared")).ifPresent(t -> {
                throw ApiException.invalidParameter("Invalid value '" + t + "' for parameter storagetype: only shared"
                        + " (primary storage pools) is supported");
            });
            List<String> tags = args.list("tags").stream().map(String::trim).filter(t -> !t.isEmpty()).distinct()
                    .toList();
            String uuid = offerings.create(new DiskOfferingRepository.NewOffering(name,
                    args.string("displaytext").orElse(name), sizeBytes, customized, tags, THIN));
            return ApiJson.object("diskoffering", offerings.find(uuid).orElseThrow().view());
        }
    }

    static final class ListDiskOfferings implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listDiskOfferings",
                "Lists all available disk offerings.", Access.USER, false, "diskoffering", List.of(
                optional("id", ParamType.UUID, "ID of the disk offering"),
                optional("name", ParamType.STRING, "name of the disk offering"),
                optional("keyword", ParamType.STRING, "List by keyword"),
                optional("page", ParamType.INTEGER, "page number, from 1"),
                optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final DiskOfferingRepository offerings;

        ListDiskOfferings(DiskOfferingRepository offerings) {
            this.offerings = offerings;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            DiskOfferingRepository.Filter filter = new DiskOfferingRepository.Filter(args.uuid("id"), args.string("name"),
                    args.keyword());
            return ApiJson.list("diskoffering", offerings.list(filter, args.paging().sql()).stream()
                    .map(DiskOffering::view).toList(), offerings.count(filter));
        }
    }
}
