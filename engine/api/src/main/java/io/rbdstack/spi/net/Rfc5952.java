package io.rbdstack.spi.net;

/**
 * IPv6 addresses in RFC 5952's canonical text: lower case, no leading zeros, the longest run of two
 * or more zero groups (the first if tied) shortened to "::", a single zero group written out. Two
 * spellings of one address then compare equal as text.
 */
public final class Rfc5952 {

    private static final int GROUPS = 8;

    private Rfc5952() {
    }

    /** The 16 bytes of an address. */
    public static String format(byte[] address) {
        if (address.length != 2 * GROUPS) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + address.length);
        }
        int[] groups = new int[GROUPS];
        for (int i = 0; i < GROUPS; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        return format(groups);
    }

    /** The 8 16-bit groups of an address. */
    public static String format(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < GROUPS; ) {
            int j = i;
            while (j < GROUPS && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < GROUPS; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
