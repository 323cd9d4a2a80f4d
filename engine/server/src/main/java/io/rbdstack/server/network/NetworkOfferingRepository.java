package io.rbdstack.server.network;

import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The network_offering table: read only (V14 seeds DefaultSharedNetworkOffering). */
public final class NetworkOfferingRepository {

    /** listNetworkOfferings filters. */
    public record Filter(Optional<String> uuid, Optional<String> name, Optional<String> keyword,
                         Optional<String> guestType, Optional<String> trafficType, Optional<String> state,
                         Optional<Boolean> isDefault, Optional<Boolean> specifyVlan) {
        Where where() {
            return Where.of("removed IS NULL").andIf("uuid = ?", uuid).andIf("name = ?", name)
                    .andContains("name", keyword).andIf("guest_type = ?", guestType)
                    .andIf("traffic_type = ?", trafficType).andIf("state = ?", state)
                    .andIf("is_default = ?", isDefault).andIf("specify_vlan = ?", specifyVlan);
        }
    }

    private static final String COLUMNS = "SELECT id, uuid, name, display_text, guest_type, traffic_type, specify_vlan,"
            + " specify_ip_ranges, internet_protocol, state, is_default, created FROM network_offering";

    private final Jdbc jdbc;

    public NetworkOfferingRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<NetworkOffering> find(String uuid) {
        return jdbc.queryOne(COLUMNS + " WHERE uuid = ? AND removed IS NULL", NetworkOfferingRepository::row, uuid);
    }

    public List<NetworkOffering> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(COLUMNS + where.sql() + " ORDER BY id" + limit, NetworkOfferingRepository::row,
                where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM network_offering" + where.sql(), where.args());
    }

    private static NetworkOffering row(ResultSet rs) throws SQLException {
        return new NetworkOffering(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getString("display_text"), rs.getString("guest_type"), rs.getString("traffic_type"),
                rs.getBoolean("specify_vlan"), rs.getBoolean("specify_ip_ranges"), rs.getString("internet_protocol"),
                rs.getString("state"), rs.getBoolean("is_default"), Jdbc.instant(rs, "created"));
    }
}
