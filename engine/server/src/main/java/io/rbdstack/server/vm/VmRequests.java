package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.offering.DiskOffering;
import io.rbdstack.server.offering.DiskOfferingRepository;
import io.rbdstack.server.offering.ServiceOffering;
import io.rbdstack.server.offering.ServiceOfferingRepository;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.template.TemplateRepository;
import io.rbdstack.server.template.TemplateState;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The request checks of the VM commands that need lookups: deployVirtualMachine's offering, template,
 * sizes, owner and NICs, turned into a {@link VmDeployment.Request}; detachVolume's ways of naming
 * a volume. Each refusal is CloudStack's code and, where CloudStack has one, its text.
 */
public final class VmRequests {

    /** A checked deploy. */
    record Deploy(VmDeployment.Request request) {
    }

    private final Jdbc jdbc;
    private final ZoneRepository zones;
    private final ServiceOfferingRepository serviceOfferings;
    private final DiskOfferingRepository diskOfferings;
    private final TemplateRepository templates;
    private final VolumeRepository volumes;
    private final SettingsRepository settings;
    private final Owners owners;
    private final Function<Long, Optional<Caller>> userOf;

    public VmRequests(Jdbc jdbc, ZoneRepository zones, ServiceOfferingRepository serviceOfferings,
                      DiskOfferingRepository diskOfferings, TemplateRepository templates, VolumeRepository volumes,
                      SettingsRepository settings, Owners owners, Function<Long, Optional<Caller>> userOf) {
        this.jdbc = jdbc;
        this.zones = zones;
        this.serviceOfferings = serviceOfferings;
        this.diskOfferings = diskOfferings;
        this.templates = templates;
        this.volumes = volumes;
        this.settings = settings;
        this.owners = owners;
        this.userOf = userOf;
    }

    /** Whom the VM is for: the caller, or (account + domainid) an account the caller manages. */
    Caller owner(Caller caller, Optional<String> account, Optional<String> domainId) {
        if (account.isEmpty()) {
            return caller;
        }
        Owners.DomainRef domain = domainId.flatMap(owners::domain).orElseThrow(() -> ApiException.invalidParameter(
                "Unable to find the domain of account " + account.get() + ": give its domainid (parameter domainid)"));
        Owners.AccountRef found = owners.account(account.get(), domain.id()).orElseThrow(() ->
                ApiException.invalidParameter("Unable to find account " + account.get() + " in domain "
                        + domain.uuid() + " (parameter account)"));
        if (!caller.mayManage(found.id(), found.type(), domain.path())) {
            throw ApiException.permissionDenied("Account " + caller.accountName()
                    + " does not have permission to operate on account " + account.get());
        }
        return userOf.apply(found.id()).orElseThrow(() -> ApiException.invalidParameter("Account " + account.get()
                + " has no enabled user to deploy the VM for (parameter account)"));
    }

    /** Checks a deploy's parameters; nothing is saved. */
    Deploy deploy(Caller owner, VmCommands.DeployVirtualMachine cmd) {
        long zoneId = zones.idOf(cmd.zoneId()).orElseThrow(() -> ApiException.invalidParameter(
                "Unable to find zone by id " + cmd.zoneId() + " (parameter zoneid)"));
        String zoneName = zones.find(cmd.zoneId()).map(ZoneRepository.ZoneView::name).orElse(cmd.zoneId());
        ServiceOffering offering = serviceOfferings.find(cmd.serviceOfferingId()).orElseThrow(() ->
                ApiException.invalidParameter("Unable to find service offering: " + cmd.serviceOfferingId()
                        + " (parameter serviceofferingid)"));
        int[] sizing = sizing(offering, cmd.details());
        TemplateRepository.TemplateRow template = template(owner, cmd.templateId(), zoneId);
        long rootBytes = rootBytes(offering, template, cmd.rootDiskSize(), cmd.details());
        Optional<DiskOffering> dataOffering = cmd.diskOfferingId().map(id -> diskOfferings.find(id).orElseThrow(() ->
                ApiException.invalidParameter("Unable to find disk offering " + id + " (parameter diskofferingid)")));
        long dataBytes = dataOffering.isPresent() ? VolumeSize.forNewVolume(dataOffering, cmd.size(), settings) : 0L;
        if (dataOffering.isEmpty() && cmd.size().isPresent()) {
            throw ApiException.invalidParameter("A data disk size needs a disk offering (parameter diskofferingid)");
        }
        String uuid = UUID.randomUUID().toString();
        String name = cmd.name().map(String::trim).filter(n -> !n.isEmpty()).map(Hostnames::require)
                .orElse(Hostnames.generated(uuid));
        String displayName = cmd.displayName().map(String::trim).filter(n -> !n.isEmpty()).orElse(name);
        return new Deploy(new VmDeployment.Request(uuid, name, displayName, zoneId, zoneName, sizing[0], sizing[1],
                sizing[2], offering.id(), template, rootBytes, java.util.Set.copyOf(offering.tags()), dataOffering,
                dataBytes, nics(cmd), offering.flags().offerHa()));
    }

    /** CPU number, speed (MHz) and memory (MiB): the offering's, or for a custom offering from details. */
    private static int[] sizing(ServiceOffering offering, Map<String, String> details) {
        if (!offering.customized()) {
            return new int[] {offering.cpuNumber(), offering.cpuSpeedMhz(), offering.memoryMb()};
        }
        Integer cpus = offering.cpuNumber() != null ? offering.cpuNumber() : whole(details, "cpuNumber");
        Integer speed = offering.cpuSpeedMhz() != null ? offering.cpuSpeedMhz() : whole(details, "cpuSpeed");
        Integer memory = offering.memoryMb() != null ? offering.memoryMb() : whole(details, "memory");
        if (cpus == null || speed == null || memory == null) {
            throw ApiException.invalidParameter("Need to specify custom parameter values cpu, cpu speed and memory"
                    + " when using custom offering (parameter details: cpuNumber, cpuSpeed, memory)");
        }
        ServiceOffering.CustomLimits limits = offering.limits();
        if (limits.minCpuNumber() != null && cpus < limits.minCpuNumber()
                || limits.maxCpuNumber() != null && cpus > limits.maxCpuNumber()) {
            throw ApiException.invalidParameter("Invalid cpu cores value " + cpus + ": the offering allows "
                    + limits.minCpuNumber() + " to " + limits.maxCpuNumber() + " (parameter details)");
        }
        if (limits.minMemoryMb() != null && memory < limits.minMemoryMb()
                || limits.maxMemoryMb() != null && memory > limits.maxMemoryMb()) {
            throw ApiException.invalidParameter("Invalid memory value " + memory + ": the offering allows "
                    + limits.minMemoryMb() + " to " + limits.maxMemoryMb() + " MB (parameter details)");
        }
        return new int[] {cpus, speed, memory};
    }

    private static Integer whole(Map<String, String> details, String key) {
        String value = details.get(key);
        if (value == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter("Invalid value for details " + key + ": " + value
                    + " is not a whole number above 0 (parameter details)");
        }
    }

    /** A Ready template of the zone that the owner may use (its own, or a public one). */
    private TemplateRepository.TemplateRow template(Caller owner, String uuid, long zoneId) {
        TemplateRepository.TemplateRow template = templates.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                "Unable to use template " + uuid + ": it was deleted (parameter templateid)"));
        if (!template.isPublic() && template.accountId() != owner.accountId() && !owner.isRootAdmin()) {
            throw ApiException.permissionDenied("Account " + owner.accountName() + " may not use template "
                    + template.name() + " (" + uuid + ")");
        }
        if (template.zoneId() != null && template.zoneId() != zoneId) {
            throw ApiException.invalidParameter("Template " + template.name() + " is not available in zone "
                    + zoneId + " (parameter templateid)");
        }
        if (template.state() != TemplateState.Ready || template.sizeBytes() == null) {
            throw ApiException.invalidParameter("Template " + template.name() + " (" + uuid + ") is not ready: "
                    + template.status() + " (parameter templateid)");
        }
        return template;
    }

    /** details' rootdisksize wins over rootdisksize, which wins over the offering's; never below the template. */
    private long rootBytes(ServiceOffering offering, TemplateRepository.TemplateRow template,
                           Optional<Long> rootDiskSize, Map<String, String> details) {
        Optional<Long> gb = Optional.ofNullable(details.get("rootdisksize")).map(v -> (long) whole(
                Map.of("rootdisksize", v), "rootdisksize")).or(() -> rootDiskSize);
        if (gb.isEmpty()) {
            return Math.max(template.sizeBytes(), offering.rootDiskBytes() == null ? 0 : offering.rootDiskBytes());
        }
        long bytes = VolumeSize.bytes(gb.get(), "rootdisksize");
        if (bytes < template.sizeBytes()) {
            throw ApiException.invalidParameter("Root disk size " + gb.get() + " GB is smaller than template "
                    + template.name() + " (" + VolumeSize.describe(template.sizeBytes())
                    + "); a root volume cannot be smaller than its template (parameter rootdisksize)");
        }
        return bytes;
    }

    /** The NICs asked for: networkids, or iptonetworklist; ipaddress and macaddress go to the first (default) one. */
    private static List<GuestNics.NicRequest> nics(VmCommands.DeployVirtualMachine cmd) {
        List<GuestNics.NicRequest> requests = new ArrayList<>();
        if (!cmd.ipToNetworkList().isEmpty()) {
            if (!cmd.networkIds().isEmpty()) {
                throw ApiException.invalidParameter("networkids can't be specified along with ipToNetworkList"
                        + " (parameter networkids)");
            }
            for (Map<String, String> entry : cmd.ipToNetworkList()) {
                String network = entry.get("networkid");
                if (network == null) {
                    throw ApiException.invalidParameter("Each iptonetworklist entry needs a networkid (parameter"
                            + " iptonetworklist)");
                }
                requests.add(new GuestNics.NicRequest(network, entry.get("ip"), entry.get("mac"), "iptonetworklist"));
            }
        } else {
            for (String network : cmd.networkIds()) {
                requests.add(new GuestNics.NicRequest(network, requests.isEmpty() ? cmd.ipAddress().orElse(null) : null,
                        requests.isEmpty() ? cmd.macAddress().orElse(null) : null, "networkids"));
            }
        }
        if (requests.isEmpty() && (cmd.ipAddress().isPresent() || cmd.macAddress().isPresent())) {
            throw ApiException.invalidParameter("An IP or MAC address is for a NIC on a network: give networkids"
                    + " (parameter " + (cmd.ipAddress().isPresent() ? "ipaddress" : "macaddress") + ")");
        }
        return requests;
    }

    /** hostid's row id (the binder checked the uuid names a host). */
    long hostIdOf(String hostUuid) {
        return jdbc.queryOne("SELECT id FROM host WHERE uuid = ? AND removed IS NULL", rs -> rs.getLong(1), hostUuid)
                .orElseThrow(() -> ApiException.invalidParameter("Unable to find host " + hostUuid
                        + " (parameter hostid)"));
    }

    /** detachVolume's volume: by id, or by the VM and device id; attached, else CloudStack's texts. */
    VolumeRepository.VolumeRow attachedVolume(Optional<String> id, Optional<String> vmId, Optional<Long> deviceId) {
        VolumeRepository.VolumeRow volume;
        if (id.isPresent()) {
            volume = volumes.find(id.get()).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find volume with ID: " + id.get()));
        } else if (vmId.isPresent() && deviceId.isPresent()) {
            String uuid = jdbc.queryOne("SELECT v.uuid FROM volumes v JOIN vm_instance i ON i.id = v.instance_id"
                    + " WHERE i.uuid = ? AND v.device_id = ? AND v.removed IS NULL", rs -> rs.getString(1),
                    vmId.get(), deviceId.get()).orElseThrow(() -> ApiException.invalidParameter(
                    "The specified volume is not attached to a VM."));
            volume = volumes.find(uuid).orElseThrow();
        } else {
            throw ApiException.invalidParameter("Please provide either a volume id, or a tuple(device id, instance id)");
        }
        if (!volume.attached()) {
            throw ApiException.invalidParameter("The specified volume is not attached to a VM.");
        }
        return volume;
    }
}
