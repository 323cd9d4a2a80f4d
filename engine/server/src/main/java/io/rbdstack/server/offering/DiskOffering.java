package io.rbdstack.server.offering;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.volume.VolumeSize;
import java.time.Instant;
import java.util.List;

/**
 * A disk offering row. {@code sizeBytes} is 0 for a customized offering (the user picks the size).
 * Tags are the storage tags a pool must all carry to hold the offering's volumes. A deleted offering is
 * Inactive: its volumes keep it, new volumes cannot use it.
 */
public record DiskOffering(long id, String uuid, String name, String displayText, long sizeBytes, boolean customized,
                           List<String> tags, String provisioningType, Qos qos, String state, Instant created) {

    public DiskOffering {
        tags = List.copyOf(tags);
    }

    /**
     * The quality of service the offering promises: storage QoS (IOPS range, or chosen per volume when
     * customized) and hypervisor throttles (bytes and I/O requests per second). Null = not limited.
     */
    public record Qos(boolean customizedIops, Long minIops, Long maxIops, Long bytesReadRate, Long bytesWriteRate,
                      Long iopsReadRate, Long iopsWriteRate) {

        public static final Qos NONE = new Qos(false, null, null, null, null, null, null);
    }

    /** How createDiskOffering and listDiskOfferings show it: CloudStack's fields, disksize in GB. */
    public View view() {
        return new View(uuid, name, displayText, VolumeSize.wholeGb(sizeBytes), customized, qos.customizedIops(),
                qos.minIops(), qos.maxIops(), qos.bytesReadRate(), qos.bytesWriteRate(), qos.iopsReadRate(),
                qos.iopsWriteRate(), tags.isEmpty() ? null : String.join(",", tags), provisioningType, "shared", state,
                ApiJson.date(created));
    }

    /** CloudStack's disk offering response fields (the throttles keep CloudStack's camel-case names). */
    public record View(String id, String name, String displaytext, long disksize, boolean iscustomized,
                       boolean iscustomizediops, Long miniops, Long maxiops,
                       @JsonProperty("diskBytesReadRate") Long diskBytesReadRate,
                       @JsonProperty("diskBytesWriteRate") Long diskBytesWriteRate,
                       @JsonProperty("diskIopsReadRate") Long diskIopsReadRate,
                       @JsonProperty("diskIopsWriteRate") Long diskIopsWriteRate,
                       String tags, String provisioningtype, String storagetype, String state, String created) {
    }
}
