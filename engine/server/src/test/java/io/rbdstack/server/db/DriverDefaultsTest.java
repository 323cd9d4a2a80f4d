package io.rbdstack.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DriverDefaultsTest {

    @Test
    void withNoUrlParamsTheServerSetsUtcAndTheStatementCache() {
        assertEquals(Map.of("connectionTimeZone", "UTC", "cachePrepStmts", "true", "prepStmtCacheSize", "500",
                "prepStmtCacheSqlLimit", "4096"), ConnectionPools.driverDefaults(""));
    }

    @Test
    void whatUrlParamsNameIsLeftToThem() {
        // CloudStack's own db.properties line.
        assertEquals(Map.of("prepStmtCacheSqlLimit", "4096"), ConnectionPools.driverDefaults(
                "prepStmtCacheSize=517&cachePrepStmts=true&sessionVariables=sql_mode='STRICT_TRANS_TABLES'"
                        + "&serverTimezone=UTC"));
        assertEquals(Map.of("cachePrepStmts", "true", "prepStmtCacheSize", "500", "prepStmtCacheSqlLimit", "4096"),
                ConnectionPools.driverDefaults("connectionTimeZone=SERVER"));
    }

    @Test
    void aKeyOnlyMentionedInAValueIsNotTakenAsNamed() {
        assertEquals("true", ConnectionPools.driverDefaults("sessionVariables=comment='cachePrepStmts'")
                .get("cachePrepStmts"));
    }
}
