package io.rbdstack.server.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.api.OwnerParams;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.db.PageAndCount;
import io.rbdstack.server.db.Where;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** listEvents, archiveEvents and deleteEvents: the audit trail, each caller seeing only its own account's part. */
public final class EventCommands {

    private EventCommands() {
    }

    /** What listEvents reads: the events, and the accounts and domains its owner parameters name. */
    public record ListDeps(EventRepository events, Owners owners) {
    }

    public static void register(CommandRegistry registry, EventRepository events, Owners owners) {
        registry.register(ListEvents.class, new ListDeps(events, owners));
        registry.register(ArchiveEvents.class, events);
        registry.register(DeleteEvents.class, events);
    }

    /** CloudStack's event levels as a filter. */
    enum Level { INFO, WARN, ERROR }

    @Command(name = "listEvents", description = "A command to list events.", access = Access.USER, response = "event")
    record ListEvents(
            @Param(description = "the ID of the event", entity = Entity.EVENT, acl = true) Optional<String> id,
            @Param(description = "the event type (see event types)") Optional<String> type,
            @Param(description = "the event level (INFO, WARN, ERROR)") Optional<Level> level,
            @Param(description = "the start date range of the list you want to retrieve (use format yyyy-MM-dd"
                    + " or yyyy-MM-dd HH:mm:ss, UTC)") Optional<String> startDate,
            @Param(description = "the end date range of the list you want to retrieve (use format yyyy-MM-dd"
                    + " or yyyy-MM-dd HH:mm:ss, UTC)") Optional<String> endDate,
            @Param(description = "with entrytime: jobs scheduled between entrytime and duration seconds ago that have"
                    + " not completed", min = 0) Optional<Integer> duration,
            @Param(description = "with duration: the oldest age in seconds of the pending jobs to list", min = 0)
            Optional<Integer> entryTime,
            @Param(description = "List by keyword") Optional<String> keyword,
            OwnerParams owner,
            @Param(description = "true: the archived events instead of the others") Optional<Boolean> archived,
            @Param(description = "the parent (Scheduled) event of a job: that job's events", entity = Entity.EVENT,
                    acl = true) Optional<String> startId,
            @Param(description = "the ID of the resource the events are about") Optional<String> resourceId,
            @Param(description = "the type of the resource the events are about (Volume, Snapshot, StoragePool …)")
            Optional<String> resourceType,
            PageParams page) implements SyncCommand<ListDeps> {

        @Override
        public ObjectNode execute(Caller caller, ListDeps deps) {
            EventRepository events = deps.events();
            Where where = Where.empty();
            // By id, an admin finds any event it may see; otherwise CloudStack's account/domain/listall rules.
            // Every condition is on the event table alone, so a page's ids come from one of its indexes.
            where.and(owner.scope(caller, deps.owners(), id.isPresent()).where("e.account_id", "e.domain_id"));
            id.ifPresent(uuid -> where.and("e.uuid = ?", uuid));
            type.ifPresent(t -> where.and("e.type = ?", t));
            level.ifPresent(l -> where.and("e.level = ?", l.name()));
            EventDates.start(startDate, "startdate").ifPresent(from -> where.and("e.created >= ?", from));
            EventDates.end(endDate, "enddate").ifPresent(to -> where.and("e.created <= ?", to));
            keyword.ifPresent(k -> where.and("(e.type LIKE ? OR e.description LIKE ?)", Where.containing(k),
                    Where.containing(k)));
            startId.ifPresent(parent -> where.and("e.start_id = (SELECT s.id FROM event s WHERE s.uuid = ?)", parent));
            resourceId.ifPresent(r -> where.and("e.resource_id = ?", r));
            resourceType.ifPresent(r -> where.and("e.resource_type = ?", r));
            if (id.isEmpty()) {
                where.and("e.archived = ?", archived.orElse(false));
            }
            if (duration.isPresent() && entryTime.isPresent()) {
                pendingJobs(where, duration.get(), entryTime.get());
            }
            PageAndCount.Result<EventRepository.EventRow> found = PageAndCount.read(() -> events.list(where, page.sql()),
                    () -> events.count(where));
            return ApiJson.list("event", found.rows().stream().map(EventRepository.EventRow::view).toList(),
                    found.count());
        }

        /**
         * CloudStack's duration + entrytime: jobs scheduled between entrytime and duration seconds ago whose
         * Completed event is still missing.
         */
        private static void pendingJobs(Where where, int duration, int entryTime) {
            if (entryTime <= duration) {
                throw ApiException.invalidParameter("Entry time must be greater than duration");
            }
            Instant now = Instant.now();
            where.and("e.state = 'Scheduled'")
                    .and("e.created BETWEEN ? AND ?", now.minusSeconds(entryTime), now.minusSeconds(duration))
                    .and("NOT EXISTS (SELECT 1 FROM event c WHERE c.start_id = e.id AND c.state = 'Completed')");
        }
    }

    @Command(name = "archiveEvents", description = "Archive one or more events.", access = Access.USER,
            response = "success", event = "EVENT.ARCHIVE")
    record ArchiveEvents(ArchiveSelection selection) implements SyncCommand<EventRepository> {

        @Override
        public ObjectNode execute(Caller caller, EventRepository events) {
            events.archive(chosen(caller, events, selection, "archive"));
            return ApiJson.success();
        }
    }

    @Command(name = "deleteEvents", description = "Delete one or more events.", access = Access.USER,
            response = "success", event = "EVENT.DELETE")
    record DeleteEvents(ArchiveSelection selection) implements SyncCommand<EventRepository> {

        @Override
        public ObjectNode execute(Caller caller, EventRepository events) {
            events.delete(chosen(caller, events, selection, "delete"));
            return ApiJson.success();
        }
    }

    /**
     * The events archiveEvents or deleteEvents act on: those the selection names, of the caller's own
     * account, a domain admin's subtree, or (root admins) anyone's. A user naming another account's
     * events is refused the whole call.
     */
    static List<Long> chosen(Caller caller, EventRepository events, ArchiveSelection selection, String verb) {
        Where where = selection.conditions("e", type -> type);
        if (caller.isDomainAdmin()) {
            // Its subtree's events only; a named event outside it reads as one that does not exist.
            where.and(ListScope.domain(caller.domainId(), caller.domainPath(), true).where("e.account_id", "e.domain_id"));
        } else if (selection.ids().isEmpty() && !caller.isRootAdmin()) {
            where.and("e.account_id = ?", caller.accountId());
        }
        List<long[]> found = events.idsAndAccounts(where);
        if (!caller.isRootAdmin() && !caller.isDomainAdmin()
                && found.stream().anyMatch(row -> row[1] != caller.accountId())) {
            throw ApiException.permissionDenied("Account " + caller.accountName() + " does not have permission to "
                    + verb + " events of other accounts");
        }
        selection.requireAllFound(found.size(), verb, "Events");
        return found.stream().map(row -> row[0]).toList();
    }
}
