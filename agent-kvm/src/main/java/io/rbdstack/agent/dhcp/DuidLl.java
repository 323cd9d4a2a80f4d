package io.rbdstack.agent.dhcp;

import java.util.HexFormat;

/**
 * The DUIDs a client builds from its MAC (RFC 8415 section 11): DUID-LL, type 3, hardware type 1
 * (Ethernet), then the MAC; and DUID-LLT, type 1, the same plus a 32-bit time the client chose. Kea
 * learns the MAC from either (mac-sources "duid"). A DUID-LL is deterministic, so a reservation can be
 * keyed on it too; a DUID-LLT's time is not known in advance, so it can only be matched through the
 * MAC. DUID-EN (type 2) and DUID-UUID (type 4) carry no MAC at all: such clients are not given the
 * reserved address (a DUID is the client's own choice, so trusting one would let any guest claim
 * another's address); they get a pool address when the network has a pool, else nothing.
 */
public final class DuidLl {

    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private DuidLl() {
    }

    /** DUID-LL of an Ethernet MAC, in Kea's colon form: 00:03:00:01:&lt;mac&gt;. */
    public static String ll(MacAddress mac) {
        return "00:03:00:01:" + mac;
    }

    /** DUID-LLT of an Ethernet MAC at {@code time} (seconds since 2000-01-01 UTC, modulo 2^32). */
    public static String llt(MacAddress mac, long time) {
        byte[] t = {(byte) (time >>> 24), (byte) (time >>> 16), (byte) (time >>> 8), (byte) time};
        return "00:01:00:01:" + COLONS.formatHex(t) + ":" + mac;
    }
}
