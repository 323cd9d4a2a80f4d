package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.FreshServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One source of limits: every parameter that declares the column its value is stored in takes no
 * more characters than that column holds in the schema the upgrade scripts made, so a value the
 * binder accepts can never fail as "too long" in the database.
 */
class ParamLimitsIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();

    @Test
    void everyStoredParameterFitsItsColumn() throws Exception {
        Map<String, Long> sizes = columnSizes();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (CommandSpec spec : cloud.management().commands()) {
            for (ApiParam param : spec.params()) {
                if (param.column().isEmpty()) {
                    continue;
                }
                String where = spec.name() + " " + param.name() + " (" + param.column() + ")";
                Long size = sizes.get(param.column());
                if (size == null) {
                    problems.add(where + ": no such character column in the schema");
                } else if (param.length() <= 0 || param.length() > size) {
                    problems.add(where + ": declared length " + param.length() + ", column holds " + size);
                }
                checked++;
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked >= 25, "only " + checked + " parameters declare their column");
    }

    @Test
    void everyTextParameterHasALimit() {
        for (CommandSpec spec : cloud.management().commands()) {
            for (ApiParam param : spec.params()) {
                boolean textual = param.type() == ParamType.STRING && param.allowed().isEmpty()
                        || param.type() == ParamType.LIST || param.type() == ParamType.MAP;
                assertFalse(textual && param.length() <= 0, spec.name() + " " + param.name() + " has no length");
            }
        }
    }

    private static Map<String, Long> columnSizes() throws Exception {
        Map<String, Long> sizes = new HashMap<>();
        try (Connection c = cloud.db().connect(); PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME,"
                + " CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND CHARACTER_MAXIMUM_LENGTH IS NOT NULL")) {
            ps.setString(1, cloud.db().schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sizes.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return sizes;
    }
}
