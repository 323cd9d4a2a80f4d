package io.rbdstack.server.offering;

import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.ParamGroup;
import java.util.Optional;

/** The hypervisor throttles createDiskOffering and updateDiskOffering take (per second; absent = none). */
@ParamGroup
public record ThrottleParams(
        @Param(description = "bytes read rate of the disk offering", min = 1) Optional<Long> bytesReadRate,
        @Param(description = "bytes write rate of the disk offering", min = 1) Optional<Long> bytesWriteRate,
        @Param(description = "io requests read rate of the disk offering", min = 1) Optional<Long> iopsReadRate,
        @Param(description = "io requests write rate of the disk offering", min = 1) Optional<Long> iopsWriteRate) {
}
