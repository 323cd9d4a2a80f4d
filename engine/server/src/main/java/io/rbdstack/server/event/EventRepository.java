package io.rbdstack.server.event;

import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rows of the event table: recorded once, then listed, archived, deleted or purged. */
public final class EventRepository {

    /** The description column's size: longer texts are cut to it. */
    static final int DESCRIPTION_LENGTH = 1024;

    private static final String COLUMNS = "SELECT e.id, e.uuid, e.type, e.state, e.level, e.description, u.username,"
            + " a.account_name, a.uuid AS account_uuid, d.uuid AS domain_uuid, d.name AS domain_name, e.resource_id,"
            + " e.resource_type, p.uuid AS parent_uuid, e.archived, e.created";
    private static final String JOINS = " JOIN user u ON u.id = e.user_id JOIN account a ON a.id = e.account_id"
            + " JOIN domain d ON d.id = e.domain_id LEFT JOIN event p ON p.id = e.start_id";
    /** listEvents' order, newest first: the order of the ix_event_*_list indexes. */
    private static final String NEWEST_FIRST = " ORDER BY e.id DESC";

    /** One event to record. {@code startId}: the Scheduled event of the job it belongs to, or null. */
    public record NewEvent(String type, EventState state, EventLevel level, String description, long userId,
                           long accountId, long domainId, EventResource resource, Long startId) {
    }

    /** An event as listEvents shows it. */
    public record EventRow(long id, String uuid, String type, String state, String level, String description,
                           String username, String accountName, String accountUuid, String domainUuid,
                           String domainName, String resourceId, String resourceType, String parentUuid,
                           boolean archived, Instant created) {

        EventView view() {
            return new EventView(uuid, username, type, level, description, accountName, domainUuid, domainName,
                    io.rbdstack.server.api.ApiJson.date(created), state, parentUuid, resourceId, resourceType, archived);
        }
    }

    private final Jdbc jdbc;

    public EventRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the event; returns its id. */
    public long insert(NewEvent event) {
        String description = event.description().length() > DESCRIPTION_LENGTH
                ? event.description().substring(0, DESCRIPTION_LENGTH - 1) + "…" : event.description();
        EventResource resource = event.resource();
        return jdbc.insert("INSERT INTO event (uuid, type, state, level, description, user_id, account_id, domain_id,"
                        + " resource_id, resource_type, start_id, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), event.type(), event.state().name(), event.level().name(), description,
                event.userId(), event.accountId(), event.domainId(), resource == null ? null : resource.uuid(),
                resource == null ? null : resource.type(), event.startId(), Instant.now());
    }

    /**
     * One page of events. {@code where} holds conditions on the event table alone (alias e), so the page's
     * ids are read from one of its indexes; only those rows are then joined with their user, owner and parent.
     */
    public List<EventRow> list(Where where, String limit) {
        return jdbc.query(COLUMNS + " FROM (SELECT e.id FROM event e" + where.sql() + NEWEST_FIRST + limit
                + ") page JOIN event e ON e.id = page.id" + JOINS + NEWEST_FIRST, EventRepository::row, where.args());
    }

    /** How many events {@code where} (on the event table alone) matches, counted in one of its indexes. */
    public long count(Where where) {
        return jdbc.queryLong("SELECT COUNT(*) FROM event e" + where.sql(), where.args());
    }

    /** Ids and owning accounts of the events {@code where} selects (for archive and delete). */
    public List<long[]> idsAndAccounts(Where where) {
        return jdbc.query("SELECT e.id, e.account_id FROM event e" + where.sql(), rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                where.args());
    }

    public Optional<Long> idOf(String uuid) {
        return jdbc.queryOne("SELECT id FROM event WHERE uuid = ?", rs -> rs.getLong(1), uuid);
    }

    public int archive(List<Long> ids) {
        Where where = Where.empty().andAmong("id", ids);
        return jdbc.update("UPDATE event SET archived = 1" + where.sql(), where.args());
    }

    public int delete(List<Long> ids) {
        Where where = Where.empty().andAmong("id", ids);
        return jdbc.update("DELETE FROM event" + where.sql(), where.args());
    }

    /** Deletes events created before {@code cutoff}, a bounded batch at a time so no statement holds locks long. */
    public int purgeOlderThan(Instant cutoff) {
        int purged = 0;
        int batch;
        do {
            batch = jdbc.update("DELETE FROM event WHERE created < ? ORDER BY created LIMIT 10000", cutoff);
            purged += batch;
        } while (batch == 10_000);
        return purged;
    }

    private static EventRow row(ResultSet rs) throws SQLException {
        return new EventRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("type"), rs.getString("state"),
                rs.getString("level"), rs.getString("description"), rs.getString("username"),
                rs.getString("account_name"), rs.getString("account_uuid"), rs.getString("domain_uuid"),
                rs.getString("domain_name"), rs.getString("resource_id"), rs.getString("resource_type"),
                rs.getString("parent_uuid"), rs.getBoolean("archived"), Jdbc.instant(rs, "created"));
    }
}
