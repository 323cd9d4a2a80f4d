package io.rbdstack.server.offering;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommaList;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.settings.SettingsRepository;
import java.util.List;
import java.util.Optional;

/**
 * createServiceOffering, updateServiceOffering, deleteServiceOffering (admins) and listServiceOfferings
 * (everyone): the CPU, memory and root disk VMs are deployed with.
 */
public final class ServiceOfferingCommands {

    /** CloudStack's smallest memory for an offering, in MB. */
    static final int MIN_MEMORY_MB = 32;

    private ServiceOfferingCommands() {
    }

    /** What the service offering commands need. */
    public record Deps(ServiceOfferingRepository offerings, SettingsRepository settings) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateServiceOffering.class, deps);
        registry.register(ListServiceOfferings.class, deps.offerings());
        registry.register(UpdateServiceOffering.class, deps.offerings());
        registry.register(DeleteServiceOffering.class, deps.offerings());
    }

    @Command(name = "createServiceOffering", description = "Creates a service offering. Leaving out cpunumber,"
            + " cpuspeed or memory makes a custom offering: the user gives them at deploy time, within the min/max"
            + " given here.", access = Access.ADMIN, response = "serviceoffering", event = "SERVICE.OFFERING.CREATE")
    record CreateServiceOffering(
            @Param(description = "the name of the service offering", column = "service_offering.name") String name,
            @Param(description = "the display text of the service offering; defaults to the name", length = 4096,
                    column = "service_offering.display_text") Optional<String> displayText,
            @Param(description = "the CPU number of the service offering", min = 1) Optional<Integer> cpuNumber,
            @Param(description = "the CPU speed of the service offering in MHz", min = 1) Optional<Integer> cpuSpeed,
            @Param(description = "the total memory of the service offering in MB", min = MIN_MEMORY_MB)
            Optional<Integer> memory,
            @Param(description = "whether the user gives CPU number, speed and memory at deploy time; false"
                    + " requires all three here") Optional<Boolean> customized,
            @Param(description = "the least CPU number a user may choose (custom offerings)", min = 1)
            Optional<Integer> minCpuNumber,
            @Param(description = "the most CPUs a user may choose (custom offerings)", min = 1)
            Optional<Integer> maxCpuNumber,
            @Param(description = "the least memory in MB a user may choose (custom offerings)", min = MIN_MEMORY_MB)
            Optional<Integer> minMemory,
            @Param(description = "the most memory in MB a user may choose (custom offerings)", min = MIN_MEMORY_MB)
            Optional<Integer> maxMemory,
            @Param(description = "the root disk size in GB; without it the root disk has the template's size")
            Optional<Long> rootDiskSize,
            @Param(description = "storage tags, comma-separated: the root volume goes to a pool carrying all of them",
                    length = 4096, column = "service_offering.tags") Optional<String> tags,
            @Param(description = "host tags, comma-separated: the VM runs on a host carrying all of them",
                    length = 4096, column = "service_offering.host_tag") Optional<String> hostTags,
            @Param(description = "whether the VM is restarted elsewhere when its host fails") Optional<Boolean> offerHa,
            @Param(description = "restrict the CPU usage to the committed service offering")
            Optional<Boolean> limitCpuUse,
            @Param(description = "whether the root disk is discarded and made afresh at every reboot")
            Optional<Boolean> isVolatile,
            @Param(description = "provisioning type: thin (RBD images are always thin)") Optional<String> provisioningType,
            @Param(description = "the storage type: shared (local storage is not supported)") Optional<String> storageType,
            @Param(description = "is this a system VM offering: rbdstack runs no system VMs, so only false")
            Optional<Boolean> isSystem,
            ThrottleParams throttles) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a service offering needs a name");
            }
            if (isSystem.orElse(false)) {
                throw ApiException.invalidParameter("Invalid value 'true' for parameter issystem: rbdstack runs no"
                        + " system VMs");
            }
            OfferingChecks.thinAndShared(provisioningType, storageType);
            if (customized.filter(c -> !c).isPresent()
                    && (cpuNumber.isEmpty() || cpuSpeed.isEmpty() || memory.isEmpty())) {
                throw ApiException.invalidParameter("Parameters cpunumber, cpuspeed and memory are required for an"
                        + " offering with customized=false");
            }
            if (customized.orElse(false) && cpuNumber.isPresent() && cpuSpeed.isPresent() && memory.isPresent()) {
                throw ApiException.invalidParameter("A customized offering leaves out at least one of parameters"
                        + " cpunumber, cpuspeed and memory: the user gives it at deploy time");
            }
            ServiceOffering.CustomLimits limits = new ServiceOffering.CustomLimits(
                    range("cpunumber", cpuNumber, "mincpunumber", minCpuNumber, "maxcpunumber", maxCpuNumber),
                    maxCpuNumber.orElse(null),
                    range("memory", memory, "minmemory", minMemory, "maxmemory", maxMemory), maxMemory.orElse(null));
            Long rootBytes = rootDiskSize.map(gb -> OfferingChecks.diskBytes(gb, "rootdisksize", deps.settings()))
                    .orElse(null);
            String uuid = deps.offerings().create(new ServiceOfferingRepository.NewOffering(trimmed,
                    displayText.orElse(trimmed), cpuNumber.orElse(null), cpuSpeed.orElse(null), memory.orElse(null),
                    limits, rootBytes, tagList(tags), tagList(hostTags),
                    new ServiceOffering.Flags(offerHa.orElse(false), limitCpuUse.orElse(false), isVolatile.orElse(false)),
                    new ServiceOffering.Throttles(throttles.bytesReadRate().orElse(null),
                            throttles.bytesWriteRate().orElse(null), throttles.iopsReadRate().orElse(null),
                            throttles.iopsWriteRate().orElse(null))));
            return ApiJson.object("serviceoffering", deps.offerings().find(uuid).orElseThrow().view());
        }

        /**
         * A min/max pair bounds what the user chooses, so it needs the fixed value left out, and min at most
         * max. Returns the min.
         */
        private static Integer range(String fixedName, Optional<Integer> fixed, String minName, Optional<Integer> min,
                                     String maxName, Optional<Integer> max) {
            if (fixed.isPresent() && (min.isPresent() || max.isPresent())) {
                throw ApiException.invalidParameter("Parameters " + minName + " and " + maxName + " bound what the"
                        + " user chooses: leave out " + fixedName + " to let the user choose it");
            }
            if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
                throw ApiException.invalidParameter("Parameter " + minName + " (" + min.get() + ") must be at most "
                        + maxName + " (" + max.get() + ")");
            }
            return min.orElse(null);
        }
    }

    @Command(name = "listServiceOfferings", description = "Lists all available service offerings.",
            access = Access.USER, response = "serviceoffering")
    record ListServiceOfferings(
            @Param(description = "ID of the service offering", entity = Entity.SERVICE_OFFERING) Optional<String> id,
            @Param(description = "name of the service offering") Optional<String> name,
            @Param(description = "List by keyword") Optional<String> keyword,
            @Param(description = "is this a system VM offering (there are none)") Optional<Boolean> isSystem,
            PageParams page) implements SyncCommand<ServiceOfferingRepository> {

        @Override
        public ObjectNode execute(Caller caller, ServiceOfferingRepository offerings) {
            if (isSystem.orElse(false)) {
                return ApiJson.list("serviceoffering", List.of(), 0);
            }
            ServiceOfferingRepository.Filter filter = new ServiceOfferingRepository.Filter(id, name, keyword);
            return ApiJson.list("serviceoffering", offerings.list(filter, page.sql()).stream()
                    .map(ServiceOffering::view).toList(), offerings.count(filter));
        }
    }

    @Command(name = "updateServiceOffering", description = "Updates a service offering. VMs deployed with it keep"
            + " what they have.", access = Access.ADMIN, response = "serviceoffering", event = "SERVICE.OFFERING.EDIT")
    record UpdateServiceOffering(
            @Param(description = "the ID of the service offering to be updated", entity = Entity.SERVICE_OFFERING)
            String id,
            @Param(description = "the name of the service offering to be updated", column = "service_offering.name")
            Optional<String> name,
            @Param(description = "the display text of the service offering to be updated", length = 4096,
                    column = "service_offering.display_text") Optional<String> displayText,
            @Param(description = "comma-separated storage tags for the root volume's pool", length = 4096,
                    column = "service_offering.tags") Optional<String> storageTags,
            @Param(description = "comma-separated host tags", length = 4096, column = "service_offering.host_tag")
            Optional<String> hostTags) implements SyncCommand<ServiceOfferingRepository> {

        @Override
        public ObjectNode execute(Caller caller, ServiceOfferingRepository offerings) {
            ServiceOffering offering = live(offerings, id);
            Optional<String> newName = name.map(String::trim);
            if (newName.filter(String::isEmpty).isPresent()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a service offering needs a name");
            }
            offerings.update(offering.id(), new ServiceOfferingRepository.OfferingUpdate(newName, displayText,
                    storageTags.map(t -> tagList(Optional.of(t))), hostTags.map(t -> tagList(Optional.of(t)))));
            return ApiJson.object("serviceoffering", live(offerings, id).view());
        }
    }

    @Command(name = "deleteServiceOffering", description = "Deletes a service offering: it is no longer offered, and"
            + " the VMs deployed with it keep what they have.", access = Access.ADMIN, response = "success",
            event = "SERVICE.OFFERING.DELETE")
    record DeleteServiceOffering(
            @Param(description = "the ID of the service offering", entity = Entity.SERVICE_OFFERING) String id)
            implements SyncCommand<ServiceOfferingRepository> {

        @Override
        public ObjectNode execute(Caller caller, ServiceOfferingRepository offerings) {
            offerings.delete(live(offerings, id).id());
            return ApiJson.success();
        }
    }

    private static ServiceOffering live(ServiceOfferingRepository offerings, String id) {
        return offerings.find(id).orElseThrow(() -> ApiException.invalidParameter(
                "Unable to find service offering by id " + id + " (parameter id); it may have been deleted"));
    }

    private static List<String> tagList(Optional<String> tags) {
        return tags.map(CommaList::parse).orElse(List.of()).stream().distinct().toList();
    }
}
