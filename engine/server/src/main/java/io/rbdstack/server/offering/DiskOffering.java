package io.rbdstack.server.offering;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.volume.VolumeSize;
import java.time.Instant;
import java.util.List;

/**
 * A disk offering row. {@code sizeBytes} is 0 for a customized offering (the user picks the size).
 * Tags are the storage tags a pool must all carry to hold the offering's volumes.
 */
public record DiskOffering(long id, String uuid, String name, String displayText, long sizeBytes, boolean customized,
                           List<String> tags, String provisioningType, Instant created) {

    public DiskOffering {
        tags = List.copyOf(tags);
    }

    /** How createDiskOffering and listDiskOfferings show it: CloudStack's fields, disksize in GB. */
    public View view() {
        return new View(uuid, name, displayText, VolumeSize.wholeGb(sizeBytes), customized,
                tags.isEmpty() ? null : String.join(",", tags), provisioningType, "shared", ApiJson.date(created));
    }

    /** CloudStack's disk offering response fields. */
    public record View(String id, String name, String displaytext, long disksize, boolean iscustomized, String tags,
                       String provisioningtype, String storagetype, String created) {
    }
}
