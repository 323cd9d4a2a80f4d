package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Guest NIC MAC addresses: {@code 02:<mac.identifier>:<32-bit zone sequence>}. Byte 0 is 0x02, a locally
 * administered unicast address as CloudStack's are; byte 1 tells clouds sharing a layer-2 segment apart.
 */
public final class MacAddresses {

    /** The largest sequence number four bytes hold. */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;

    private static final Pattern FORM = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    private MacAddresses() {
    }

    /** The MAC of sequence number {@code sequence} (0 to {@link #MAX_SEQUENCE}) under {@code identifier} (0–255). */
    public static String of(int identifier, long sequence) {
        if (identifier < 0 || identifier > 255 || sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("identifier " + identifier + " or sequence " + sequence + " out of range");
        }
        return String.format(Locale.ROOT, "02:%02x:%02x:%02x:%02x:%02x", identifier, (sequence >> 24) & 0xff,
                (sequence >> 16) & 0xff, (sequence >> 8) & 0xff, sequence & 0xff);
    }

    /**
     * A MAC a caller gave, lower-cased; 431 naming {@code param} unless it is six colon-separated hex bytes of
     * a unicast address other than all zeros (a locally administered one is fine).
     */
    public static String checked(String given, String param) {
        String mac = given == null ? "" : given.trim();
        if (!FORM.matcher(mac).matches()) {
            throw invalid(given, param, "not a MAC address such as 02:00:0a:1b:2c:3d");
        }
        mac = mac.toLowerCase(Locale.ROOT);
        if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
            throw invalid(given, param, "a multicast MAC address; a NIC needs a unicast one");
        }
        if (mac.equals("00:00:00:00:00:00")) {
            throw invalid(given, param, "the all-zero MAC address is not a NIC's");
        }
        return mac;
    }

    static ApiException invalid(String given, String param, String why) {
        return ApiException.invalidParameter("Invalid value '" + given + "' for parameter " + param + ": " + why);
    }
}
