package io.rbdstack.server.offering;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.volume.VolumeSize;
import java.util.Locale;
import java.util.Optional;

/** Checks every offering shares: a disk size within storage.max.volume.size; on RBD, thin and shared only. */
final class OfferingChecks {

    private OfferingChecks() {
    }

    /** A size in GB given as {@code parameter}, in bytes: at least 1 GB, at most storage.max.volume.size. */
    static long diskBytes(long gb, String parameter, SettingsRepository settings) {
        long max = settings.longValue(Setting.STORAGE_MAX_VOLUME_SIZE);
        if (gb < 1) {
            throw ApiException.invalidParameter("Please specify a disk size of at least 1 GB (parameter " + parameter
                    + ").");
        }
        if (gb > max) {
            throw ApiException.invalidParameter("The maximum size for a disk is " + max + " GB"
                    + " (storage.max.volume.size; parameter " + parameter + ").");
        }
        return VolumeSize.bytes(gb, parameter);
    }

    static void thinAndShared(Optional<String> provisioningType, Optional<String> storageType) {
        if (!provisioningType.map(p -> p.toLowerCase(Locale.ROOT)).orElse(DiskOfferingCommands.THIN)
                .equals(DiskOfferingCommands.THIN)) {
            throw ApiException.invalidParameter("Invalid value '" + provisioningType.orElseThrow()
                    + "' for parameter provisioningtype: RBD images are always thin-provisioned, so only thin is"
                    + " offered");
        }
        storageType.filter(t -> !t.equalsIgnoreCase("shared")).ifPresent(t -> {
            throw ApiException.invalidParameter("Invalid value '" + t + "' for parameter storagetype: only shared"
                    + " (primary storage pools) is supported");
        });
    }
}
