package io.rbdstack.server.offering;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.volume.VolumeSize;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service (compute) offering row: what a VM gets. A null cpu, speed or memory is chosen by the user
 * at deploy time (CloudStack's custom offering), within {@code limits} where the admin set them. Tags are
 * the storage tags the root volume's pool must carry; a null root disk size means the template's size.
 * A deleted offering is Inactive: its VMs keep it, new VMs cannot use it.
 */
public record ServiceOffering(long id, String uuid, String name, String displayText, Integer cpuNumber,
                              Integer cpuSpeedMhz, Integer memoryMb, CustomLimits limits, Long rootDiskBytes,
                              List<String> tags, List<String> hostTags, Flags flags, Throttles throttles,
                              String state, Instant created) {

    public ServiceOffering {
        tags = List.copyOf(tags);
        hostTags = List.copyOf(hostTags);
    }

    /** Whether the user picks some of CPU number, speed and memory at deploy time. */
    public boolean customized() {
        return cpuNumber == null || cpuSpeedMhz == null || memoryMb == null;
    }

    /** The range a user's choice must fall in for a custom offering; null = unbounded. */
    public record CustomLimits(Integer minCpuNumber, Integer maxCpuNumber, Integer minMemoryMb, Integer maxMemoryMb) {

        public static final CustomLimits NONE = new CustomLimits(null, null, null, null);

        /** CloudStack shows the bounds as the offering's details, under these keys. */
        Map<String, String> details() {
            Map<String, String> details = new LinkedHashMap<>();
            put(details, "mincpunumber", minCpuNumber);
            put(details, "maxcpunumber", maxCpuNumber);
            put(details, "minmemory", minMemoryMb);
            put(details, "maxmemory", maxMemoryMb);
            return details;
        }

        private static void put(Map<String, String> details, String key, Integer value) {
            if (value != null) {
                details.put(key, value.toString());
            }
        }
    }

    /** CloudStack's yes/no settings of an offering. */
    public record Flags(boolean offerHa, boolean limitCpuUse, boolean isVolatile) {
    }

    /** Hypervisor throttles of the root disk, per second; null = not limited. */
    public record Throttles(Long bytesReadRate, Long bytesWriteRate, Long iopsReadRate, Long iopsWriteRate) {
    }

    /** How the service offering commands show it: CloudStack's ServiceOfferingResponse fields. */
    public View view() {
        Map<String, String> details = limits.details();
        return new View(uuid, name, displayText, cpuNumber, cpuSpeedMhz, memoryMb, customized(),
                rootDiskBytes == null ? null : VolumeSize.wholeGb(rootDiskBytes),
                tags.isEmpty() ? null : String.join(",", tags), hostTags.isEmpty() ? null : String.join(",", hostTags),
                flags.offerHa(), flags.limitCpuUse(), flags.isVolatile(), false, false, "shared",
                DiskOfferingCommands.THIN, throttles.bytesReadRate(), throttles.bytesWriteRate(),
                throttles.iopsReadRate(), throttles.iopsWriteRate(), details.isEmpty() ? null : details, state,
                ApiJson.date(created));
    }

    /** CloudStack's service offering response (the throttles keep CloudStack's camel-case names). */
    public record View(String id, String name, String displaytext, Integer cpunumber, Integer cpuspeed, Integer memory,
                       boolean iscustomized, Long rootdisksize, String storagetags, String hosttags, boolean offerha,
                       boolean limitcpuuse, boolean isvolatile, boolean issystem, boolean defaultuse,
                       String storagetype, String provisioningtype,
                       @JsonProperty("diskBytesReadRate") Long diskBytesReadRate,
                       @JsonProperty("diskBytesWriteRate") Long diskBytesWriteRate,
                       @JsonProperty("diskIopsReadRate") Long diskIopsReadRate,
                       @JsonProperty("diskIopsWriteRate") Long diskIopsWriteRate,
                       Map<String, String> serviceofferingdetails, String state, String created) {
    }
}
