package io.rbdstack.server.event;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.ParamGroup;
import io.rbdstack.server.db.Where;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which events or alerts archiveEvents, deleteEvents, archiveAlerts and deleteAlerts act on, as
 * CloudStack takes them: ids, a type, a date range; every filter given must match, and at least one must be.
 */
@ParamGroup
public record ArchiveSelection(
        @Param(description = "the IDs of the events or alerts", length = ArchiveSelection.IDS_LENGTH) List<String> ids,
        @Param(description = "their type") Optional<String> type,
        @Param(description = "from this date on (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, UTC)") Optional<String> startDate,
        @Param(description = "up to this date (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, UTC)") Optional<String> endDate) {

    /** Room for 500 comma-separated uuids. */
    static final int IDS_LENGTH = 500 * 37;

    /** The ids given, normalised and without repeats. */
    public List<String> uuids() {
        return ids.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    /**
     * The conditions on the rows of table alias {@code t} (its {@code uuid}, {@code type} and
     * {@code created} columns); {@code typeValue} turns the type given into the column's value.
     *
     * @throws ApiException 431 when no filter is given
     */
    public Where conditions(String t, Function<String, Object> typeValue) {
        if (ids.isEmpty() && type.isEmpty() && startDate.isEmpty() && endDate.isEmpty()) {
            throw ApiException.invalidParameter("Either ids, type, startdate or enddate must be specified");
        }
        Where where = Where.empty();
        if (!ids.isEmpty()) {
            where.andAmong(t + ".uuid", uuids());
        }
        type.ifPresent(value -> where.and(t + ".type = ?", typeValue.apply(value)));
        EventDates.start(startDate, "startdate").ifPresent(from -> where.and(t + ".created >= ?", from));
        EventDates.end(endDate, "enddate").ifPresent(to -> where.and(t + ".created <= ?", to));
        return where;
    }

    /** Refuses the whole call, as CloudStack does, when some id named nothing the caller may act on. */
    public void requireAllFound(int found, String verb, String what) {
        if (!ids.isEmpty() && found < uuids().size()) {
            throw ApiException.invalidParameter("Unable to " + verb + " " + what + ", one or more parameters has invalid"
                    + " values: not every id names one");
        }
    }
}
