package io.rbdstack.server.event;

import io.rbdstack.server.api.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The dates listEvents, archiveEvents and deleteEvents take, in CloudStack's forms {@code yyyy-MM-dd} and
 * {@code yyyy-MM-dd HH:mm:ss}, read as UTC. A date alone is the start of that day for a start date and
 * its end for an end date, so {@code enddate=2024-05-01} includes the whole day.
 */
public final class EventDates {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private EventDates() {
    }

    public static Optional<Instant> start(Optional<String> value, String param) {
        return value.map(v -> parse(v, param, false));
    }

    public static Optional<Instant> end(Optional<String> value, String param) {
        return value.map(v -> parse(v, param, true));
    }

    private static Instant parse(String value, String param, boolean endOfDay) {
        String text = value.trim();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1).atStartOfDay().minusNanos(1) : day.atStartOfDay())
                        .toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(text, DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidParameter("Unable to parse date " + value + " for parameter " + param
                    + ": use yyyy-MM-dd or yyyy-MM-dd HH:mm:ss (UTC)");
        }
    }
}
