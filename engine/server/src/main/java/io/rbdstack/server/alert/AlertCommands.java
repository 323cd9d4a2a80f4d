package io.rbdstack.server.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.db.SqlConditions;
import io.rbdstack.server.event.EventDates;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** listAlerts, archiveAlerts and deleteAlerts (root admins). */
public final class AlertCommands {

    /** Room for 500 comma-separated uuids. */
    static final int IDS_LENGTH = 500 * 37;

    private AlertCommands() {
    }

    public static void register(CommandRegistry registry, AlertRepository alerts) {
        registry.register(ListAlerts.class, alerts);
        registry.register(ArchiveAlerts.class, alerts);
        registry.register(DeleteAlerts.class, alerts);
    }

    @Command(name = "listAlerts", description = "Lists all alerts.", access = Access.ADMIN, response = "alert")
    record ListAlerts(
            @Param(description = "the ID of the alert", entity = Entity.ALERT) Optional<String> id,
            @Param(description = "list by alert type (its number, e.g. 7 for hosts)", length = 8) Optional<String> type,
            @Param(description = "list by alert name (e.g. ALERT.COMPUTE.HOST)") Optional<String> name,
            @Param(description = "List by keyword") Optional<String> keyword,
            @Param(description = "true: the archived alerts instead of the others") Optional<Boolean> archived,
            PageParams page) implements SyncCommand<AlertRepository> {

        @Override
        public ObjectNode execute(Caller caller, AlertRepository alerts) {
            SqlConditions where = new SqlConditions();
            id.ifPresent(uuid -> where.add("a.uuid = ?", uuid));
            type.ifPresent(t -> where.add("a.type = ?", typeNumber(t)));
            name.ifPresent(n -> where.add("a.name = ?", n));
            keyword.ifPresent(k -> where.add("a.subject LIKE ?", SqlConditions.contains(k)));
            if (id.isEmpty()) {
                where.add("a.archived = ?", archived.orElse(false));
            }
            return ApiJson.list("alert", alerts.list(where, page.sql()), alerts.count(where));
        }
    }

    @Command(name = "archiveAlerts", description = "Archive one or more alerts.", access = Access.ADMIN,
            response = "success", event = "ALERT.ARCHIVE")
    record ArchiveAlerts(
            @Param(description = "the IDs of the alerts", length = IDS_LENGTH) List<String> ids,
            @Param(description = "archive by alert type (its number)", length = 8) Optional<String> type,
            @Param(description = "the alerts from this date on (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, UTC)")
            Optional<String> startDate,
            @Param(description = "the alerts up to this date (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, UTC)")
            Optional<String> endDate) implements SyncCommand<AlertRepository> {

        @Override
        public ObjectNode execute(Caller caller, AlertRepository alerts) {
            alerts.archive(chosen(alerts, ids, type, startDate, endDate, "archive"));
            return ApiJson.success();
        }
    }

    @Command(name = "deleteAlerts", description = "Delete one or more alerts.", access = Access.ADMIN,
            response = "success", event = "ALERT.DELETE")
    record DeleteAlerts(
            @Param(description = "the IDs of the alerts", length = IDS_LENGTH) List<String> ids,
            @Param(description = "delete by alert type (its number)", length = 8) Optional<String> type,
            @Param(description = "the alerts from this date on (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, UTC)")
            Optional<String> startDate,
            @Param(description = "the alerts up to this date (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, UTC)")
            Optional<String> endDate) implements SyncCommand<AlertRepository> {

        @Override
        public ObjectNode execute(Caller caller, AlertRepository alerts) {
            alerts.delete(chosen(alerts, ids, type, startDate, endDate, "delete"));
            return ApiJson.success();
        }
    }

    /** The alerts matching every filter given; an id that names no alert refuses the whole call. */
    static List<Long> chosen(AlertRepository alerts, List<String> ids, Optional<String> type,
                             Optional<String> startDate, Optional<String> endDate, String verb) {
        if (ids.isEmpty() && type.isEmpty() && startDate.isEmpty() && endDate.isEmpty()) {
            throw ApiException.invalidParameter("Either ids, type, startdate or enddate must be specified");
        }
        SqlConditions where = new SqlConditions();
        List<String> uuids = ids.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        if (!uuids.isEmpty()) {
            where.in("a.uuid", uuids);
        }
        type.ifPresent(t -> where.add("a.type = ?", typeNumber(t)));
        EventDates.start(startDate, "startdate").ifPresent(from -> where.add("a.created >= ?", from));
        EventDates.end(endDate, "enddate").ifPresent(to -> where.add("a.created <= ?", to));
        List<Long> found = alerts.ids(where);
        if (!uuids.isEmpty() && found.size() < uuids.size()) {
            throw ApiException.invalidParameter("Unable to " + verb + " Alerts, one or more parameters has invalid"
                    + " values: not every id names an alert");
        }
        return found;
    }

    private static int typeNumber(String type) {
        try {
            return Integer.parseInt(type.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter("Invalid value " + type + " for parameter type: an alert type is a"
                    + " number (listAlerts shows each alert's)");
        }
    }
}
