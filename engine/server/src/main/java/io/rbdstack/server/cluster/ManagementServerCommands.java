package io.rbdstack.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.db.Conditions;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** listManagementServers: the management servers of this database, from the mshost table. */
public final class ManagementServerCommands {

    private ManagementServerCommands() {
    }

    public static void register(CommandRegistry registry, Jdbc jdbc) {
        registry.register(ListManagementServers.class, jdbc);
    }

    /** A management server as CloudStack's listManagementServers shows it. */
    public record ManagementServerView(String id, String name, String state, String version, String serviceip,
                                       String ipaddress, String lastserverstart, String lastserverstop,
                                       long agentscount, long pendingjobscount) {
    }

    /**
     * Every process registers under a fresh msid, so the table has a row per start: listed are the running
     * ones and, of stopped ones, only the last start of each server (name, address and port).
     */
    private static final String FROM = " FROM mshost m WHERE (m.state = 'Up' OR NOT EXISTS (SELECT 1 FROM mshost n"
            + " WHERE n.name = m.name AND n.service_ip = m.service_ip AND n.service_port = m.service_port"
            + " AND n.id > m.id))";

    @Command(name = "listManagementServers", description = "Lists management servers.", access = Access.ADMIN,
            response = "managementserver")
    record ListManagementServers(
            @Param(description = "the id of the management server", entity = Entity.MANAGEMENT_SERVER)
            Optional<String> id,
            @Param(description = "the name of the management server") Optional<String> name,
            @Param(description = "the version of the management server") Optional<String> version,
            @Param(description = "List by keyword") Optional<String> keyword,
            PageParams page) implements SyncCommand<Jdbc> {

        @Override
        public ObjectNode execute(Caller caller, Jdbc jdbc) {
            ListScope.Sql filters = new Conditions().and(" AND m.uuid = ?", id).and(" AND m.name = ?", name)
                    .and(" AND m.version = ?", version).like(" AND m.name LIKE ?", keyword).sql();
            String where = filters.text();
            Object[] args = filters.args().toArray();
            List<ManagementServerView> servers = jdbc.query("SELECT m.msid, m.uuid, m.name, m.state, m.version,"
                    + " m.service_ip, m.created, m.removed, (SELECT COUNT(*) FROM host h WHERE h.mgmt_server_msid = m.msid"
                    + " AND h.status IN ('Up', 'Alert') AND h.removed IS NULL) AS agents, (SELECT COUNT(*) FROM async_job j"
                    + " WHERE j.executing_msid = m.msid AND j.job_status = 0) AS pending" + FROM + where
                    + " ORDER BY m.id" + page.sql(), ManagementServerCommands::view, args);
            return ApiJson.list("managementserver", servers, jdbc.queryLong("SELECT COUNT(*)" + FROM + where, args));
        }
    }

    private static ManagementServerView view(ResultSet rs) throws SQLException {
        boolean up = rs.getString("state").equals("Up");
        return new ManagementServerView(rs.getString("uuid"), rs.getString("name"), up ? "Up" : "Down",
                rs.getString("version"), rs.getString("service_ip"), rs.getString("service_ip"),
                ApiJson.date(Jdbc.instant(rs, "created")), up ? null : ApiJson.date(Jdbc.instant(rs, "removed")),
                rs.getLong("agents"), rs.getLong("pending"));
    }
}
