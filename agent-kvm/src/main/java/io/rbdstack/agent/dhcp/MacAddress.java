package io.rbdstack.agent.dhcp;

import java.util.HexFormat;
import java.util.regex.Pattern;

/** A 48-bit MAC address; {@link #toString()} is Kea's form, lower-case hex pairs joined by colons. */
public record MacAddress(byte[] bytes) {

    private static final Pattern FORM = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    public MacAddress {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** Parses {@code 52:54:00:d6:c2:a9} (either case); anything else is refused, naming the value. */
    public static MacAddress parse(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            throw new DhcpException("'" + text + "' is not a MAC address (six hex pairs separated by colons)");
        }
        return new MacAddress(COLONS.parseHex(text));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacAddress mac && java.util.Arrays.equals(bytes, mac.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return COLONS.formatHex(bytes);
    }
}
