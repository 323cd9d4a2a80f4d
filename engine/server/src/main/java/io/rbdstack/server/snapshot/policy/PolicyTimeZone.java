package io.rbdstack.server.snapshot.policy;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * A policy's time zone as CloudStack clients name it: a Java time-zone id (region ids such as
 * {@code Europe/Berlin} or {@code Etc/GMT+5}, {@code UTC}, {@code GMT+05:30}) or one of the old
 * three-letter ids java.util.TimeZone still knows ({@code EST}, {@code PST}, {@code IST} …).
 */
public final class PolicyTimeZone {

    private PolicyTimeZone() {
    }

    /** @throws IllegalArgumentException when Java knows no such zone (CloudStack would quietly use GMT) */
    public static ZoneId parse(String id) {
        try {
            return ZoneId.of(id.trim(), ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + id + "'; give a zone id such as Europe/Berlin,"
                    + " America/New_York or UTC");
        }
    }
}
