package io.rbdstack.server.volume;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.offering.DiskOffering;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.util.Optional;

/**
 * Volume sizes: the API speaks whole GB (CloudStack's GB are GiB: 1 GB = 2^30 bytes), the database
 * and the storage bytes.
 */
public final class VolumeSize {

    public static final long BYTES_PER_GB = 1L << 30;

    private VolumeSize() {
    }

    /** {@code gb} GB in bytes; 431 when it does not fit a long (no storage is that large anyway). */
    public static long bytes(long gb, String parameter) {
        try {
            return Math.multiplyExact(gb, BYTES_PER_GB);
        } catch (ArithmeticException e) {
            throw ApiException.invalidParameter("Invalid value " + gb + " for parameter " + parameter
                    + ": too large a size in GB");
        }
    }

    /** Whole GB, rounded down, as disksize in disk offerings. */
    public static long wholeGb(long bytes) {
        return bytes / BYTES_PER_GB;
    }

    /** For messages: "2 GB (2147483648 bytes)", or just bytes when it is no whole number of GB. */
    public static String describe(long bytes) {
        return bytes % BYTES_PER_GB == 0 ? wholeGb(bytes) + " GB (" + bytes + " bytes)" : bytes + " bytes";
    }

    /**
     * A size the user chose, checked against custom.diskoffering.size.min/max as CloudStack does;
     * in bytes.
     */
    public static long custom(long gb, long minGb, long maxGb, String parameter) {
        if (gb < minGb || gb > maxGb) {
            throw ApiException.invalidParameter("Volume size: " + gb + "GB is out of allowed range. Max: " + maxGb
                    + " Min:" + minGb + " (parameter " + parameter + ")");
        }
        return bytes(gb, parameter);
    }

    /**
     * A new volume's size by CloudStack's rules (createVolume, a deploy's data disk): a fixed offering has
     * its size, a customized one or none needs {@code sizeGb}, within custom.diskoffering.size.min/max.
     */
    public static long forNewVolume(Optional<DiskOffering> offering,
                                    Optional<Long> sizeGb,
                                    SettingsRepository settings) {
        if (offering.isPresent() && !offering.get().customized()) {
            if (sizeGb.isPresent()) {
                throw ApiException.invalidParameter("This disk offering does not allow custom"
                        + " size: disk offering " + offering.get().name() + " has " + wholeGb(offering.get().sizeBytes())
                        + " GB (parameter size)");
            }
            return offering.get().sizeBytes();
        }
        if (sizeGb.isEmpty()) {
            throw ApiException.invalidParameter(offering.isPresent()
                    ? "This disk offering requires a custom size specified (parameter size, in GB)"
                    : "Give a disk offering (parameter diskofferingid) or a size in GB (parameter size)");
        }
        return custom(sizeGb.get(), settings.longValue(Setting.CUSTOM_DISKOFFERING_SIZE_MIN),
                settings.longValue(Setting.CUSTOM_DISKOFFERING_SIZE_MAX), "size");
    }
}
