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
import io.rbdstack.server.db.PageAndCount;
import io.rbdstack.server.db.Where;
import io.rbdstack.server.event.ArchiveSelection;
import java.util.List;
import java.util.Optional;

/** listAlerts, archiveAlerts and deleteAlerts (root admins). */
public final class AlertCommands {

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
            Where where = Where.empty();
            id.ifPresent(uuid -> where.and("a.uuid = ?", uuid));
            type.ifPresent(t -> where.and("a.type = ?", typeNumber(t)));
            name.ifPresent(n -> where.and("a.name = ?", n));
            keyword.ifPresent(k -> where.and("a.subject LIKE ?", Where.containing(k)));
            if (id.isEmpty()) {
                where.and("a.archived = ?", archived.orElse(false));
            }
            PageAndCount.Result<AlertRepository.AlertView> found = PageAndCount.read(() -> alerts.list(where,
                    page.sql()), () -> alerts.count(where));
            return ApiJson.list("alert", found.rows(), found.count());
        }
    }

    @Command(name = "archiveAlerts", description = "Archive one or more alerts.", access = Access.ADMIN,
            response = "success", event = "ALERT.ARCHIVE")
    record ArchiveAlerts(ArchiveSelection selection) implements SyncCommand<AlertRepository> {

        @Override
        public ObjectNode execute(Caller caller, AlertRepository alerts) {
            alerts.archive(chosen(alerts, selection, "archive"));
            return ApiJson.success();
        }
    }

    @Command(name = "deleteAlerts", description = "Delete one or more alerts.", access = Access.ADMIN,
            response = "success", event = "ALERT.DELETE")
    record DeleteAlerts(ArchiveSelection selection) implements SyncCommand<AlertRepository> {

        @Override
        public ObjectNode execute(Caller caller, AlertRepository alerts) {
            alerts.delete(chosen(alerts, selection, "delete"));
            return ApiJson.success();
        }
    }

    /** The alerts the selection names (its type is an alert type number). */
    static List<Long> chosen(AlertRepository alerts, ArchiveSelection selection, String verb) {
        List<Long> found = alerts.ids(selection.conditions("a", AlertCommands::typeNumber));
        selection.requireAllFound(found.size(), verb, "Alerts");
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
