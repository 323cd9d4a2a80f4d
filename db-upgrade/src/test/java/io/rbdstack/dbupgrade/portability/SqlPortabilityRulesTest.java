package io.rbdstack.dbupgrade.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.dbupgrade.portability.SqlPortabilityRules.Finding;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule fires on known-bad SQL, and known-good SQL passes: the project scan cannot pass by accident. */
class SqlPortabilityRulesTest {

    static Stream<Arguments> badSql() {
        return Stream.of(
                Arguments.of("group-by-order-by", "SELECT dept, COUNT(*) FROM t GROUP BY dept ORDER BY name"),
                Arguments.of("group-by-order-by",
                        "SELECT h.zone_id, COUNT(*) AS n FROM host h GROUP BY h.zone_id ORDER BY h.created DESC"),
                Arguments.of("group-by-order-by",
                        "SELECT x.dept FROM (SELECT dept FROM t GROUP BY dept ORDER BY UPPER(name)) x"),
                Arguments.of("group-by-order-by",
                        "SELECT dept, MAX(salary) FROM t GROUP BY dept ORDER BY MAX(salary) + bonus"),
                Arguments.of("group-by-order-by",
                        "select zone_id, count(*)\n  from host\n group by zone_id\n order by `name`"),
                Arguments.of("distinct-order-by", "SELECT DISTINCT dept FROM t ORDER BY name"),
                Arguments.of("distinct-order-by", "SELECT DISTINCT h.name FROM host h ORDER BY h.created"),
                Arguments.of("distinct-order-by", "SELECT DISTINCT dept FROM t GROUP BY dept ORDER BY COUNT(*)"),
                Arguments.of("distinct-order-by", "SELECT DISTINCT UPPER(name) FROM t ORDER BY name"),
                Arguments.of("any-value", "SELECT dept, ANY_VALUE(name) FROM t GROUP BY dept"),
                Arguments.of("json-arrow", "SELECT details->'$.monitors' FROM storage_pool"),
                Arguments.of("json-arrow", "SELECT details ->> \"$.user\" FROM storage_pool"),
                Arguments.of("transaction-isolation", "SELECT @@transaction_isolation"),
                Arguments.of("transaction-isolation", "SET SESSION transaction_isolation = 'READ-COMMITTED'"),
                Arguments.of("json-table",
                        "SELECT jt.id FROM JSON_TABLE(@j, '$[*]' COLUMNS (id INT PATH '$.id')) AS jt"),
                Arguments.of("create-or-replace", "CREATE OR REPLACE TABLE t (id INT)"),
                Arguments.of("column-if-exists", "ALTER TABLE host ADD COLUMN IF NOT EXISTS cpus INT"),
                Arguments.of("column-if-exists", "ALTER TABLE host DROP COLUMN IF EXISTS cpus"),
                Arguments.of("index-if-exists", "CREATE INDEX IF NOT EXISTS i_host_name ON host (name)"),
                Arguments.of("index-if-exists", "DROP INDEX IF EXISTS i_host_name ON host"),
                Arguments.of("index-if-exists", "ALTER TABLE host ADD UNIQUE KEY IF NOT EXISTS uk (name)"),
                Arguments.of("constraint-if-exists", "ALTER TABLE host DROP FOREIGN KEY IF EXISTS fk_host_zone"),
                Arguments.of("constraint-if-exists",
                        "ALTER TABLE host ADD CONSTRAINT fk_host_zone FOREIGN KEY IF NOT EXISTS (zone_id)"
                                + " REFERENCES zone (id)"),
                Arguments.of("returning", "INSERT INTO t (a) VALUES (1) RETURNING id"),
                Arguments.of("returning", "DELETE FROM t WHERE id = 1 RETURNING *"),
                Arguments.of("tx-isolation", "SELECT @@tx_isolation"),
                Arguments.of("innodb-large-prefix", "SELECT @@innodb_large_prefix"),
                Arguments.of("window-function",
                        "SELECT id, ROW_NUMBER() OVER (PARTITION BY zone_id ORDER BY id) FROM host"),
                Arguments.of("cte", "WITH recent AS (SELECT id FROM host) SELECT id FROM recent"),
                Arguments.of("cte", "WITH RECURSIVE tree (id) AS (SELECT 1) SELECT id FROM tree"),
                Arguments.of("except-intersect", "SELECT id FROM a EXCEPT SELECT id FROM b"),
                Arguments.of("except-intersect", "SELECT id FROM a INTERSECT SELECT id FROM b"),
                Arguments.of("sequence", "SELECT NEXTVAL(host_seq)"),
                Arguments.of("sequence", "SELECT NEXT VALUE FOR host_seq"),
                Arguments.of("sequence", "CREATE SEQUENCE host_seq"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badSql")
    void ruleFiresOnBadSql(String rule, String sql) {
        List<Finding> findings = SqlPortabilityRules.check(sql);
        assertEquals(Set.of(rule), findings.stream().map(Finding::rule).collect(Collectors.toSet()),
                findings.toString());
    }

    @Test
    void everyRuleHasABadExample() {
        Set<String> covered = badSql().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(SqlPortabilityRules.ruleIds()), covered);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT dept, COUNT(*) FROM t GROUP BY dept ORDER BY dept",
            "SELECT dept, COUNT(*) FROM t GROUP BY dept ORDER BY COUNT(*) DESC",
            "SELECT dept, COUNT(*) AS n FROM t GROUP BY dept ORDER BY n DESC, dept",
            "SELECT zone_id, SUM(size) total FROM volumes GROUP BY zone_id ORDER BY total DESC LIMIT 10",
            "SELECT h.zone_id, COUNT(*) FROM host h GROUP BY h.zone_id ORDER BY zone_id",
            "SELECT dept, COUNT(*) FROM t GROUP BY 1 ORDER BY 2 DESC",
            "SELECT dept, COUNT(*) FROM t GROUP BY 1 ORDER BY dept",
            "SELECT DATE(created) AS day, COUNT(*) FROM t GROUP BY DATE(created) ORDER BY DATE(created)",
            "SELECT zone_id, GROUP_CONCAT(name ORDER BY created) FROM host GROUP BY zone_id ORDER BY zone_id",
            "SELECT dept FROM t GROUP BY dept WITH ROLLUP",
            "SELECT name FROM host WHERE id IN (SELECT host_id FROM x GROUP BY host_id) ORDER BY name",
            "SELECT DISTINCT dept, name FROM t ORDER BY name, dept DESC",
            "SELECT DISTINCT h.name AS host_name FROM host h ORDER BY host_name",
            "SELECT DISTINCT h.name FROM host h ORDER BY h.name",
            "SELECT DISTINCT UPPER(name) FROM t ORDER BY UPPER(name)",
            "SELECT DISTINCT * FROM t ORDER BY x",
            "SELECT DISTINCT a FROM t1 UNION SELECT DISTINCT a FROM t2 ORDER BY a",
            "SELECT DISTINCT name FROM host ORDER BY \u00abexpr\u00bb",
            "SELECT DISTINCT name FROM host ORDER BY %s",
            "SELECT id FROM host WHERE uuid = ? FOR UPDATE",
            "INSERT INTO configuration (name, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)",
            "INSERT INTO configuration (name, description) VALUES ('x',"
                    + " 'all zones except -> ''$x'' ; RETURNING OVER (x) WITH a AS (b) ANY_VALUE( ORDER BY name')",
            "SELECT id FROM host -- ORDER BY name EXCEPT RETURNING\nWHERE id = 1 /* OVER ( */",
            "CREATE OR REPLACE VIEW v AS SELECT id FROM host",
            "CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY INVOKER VIEW v AS SELECT id FROM host",
            "DROP TABLE IF EXISTS t",
            "CREATE TABLE IF NOT EXISTS t (id INT)",
            "DROP VIEW IF EXISTS v",
            "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
            "SELECT id FROM host WHERE over_provisioning > 1 AND returning_user = 0",
            "SELECT a.id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id)",
            "SELECT GET_LOCK(?, ?)"})
    void goodSqlPasses(String sql) {
        assertEquals(List.of(), SqlPortabilityRules.check(sql));
    }

    @Test
    void findingPointsAtTheOffendingItem() {
        String sql = "SELECT dept, COUNT(*)\nFROM t\nGROUP BY dept\nORDER BY dept, name";
        List<Finding> findings = SqlPortabilityRules.check(sql);
        assertEquals(1, findings.size());
        assertEquals(sql.lastIndexOf("name"), findings.get(0).offset());
        assertTrue(findings.get(0).message().startsWith("ORDER BY name uses name, which is neither in the GROUP BY"),
                findings.get(0).message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "SELECT GET_LOCK(?, ?)", "select id from host where id = ?",
            "INSERT INTO t (a) VALUES (?)", "  UPDATE host SET status = ?", "update host set status = ?",
            "DELETE FROM host", "CREATE TABLE t (id INT)", "ALTER TABLE host ADD COLUMN x INT",
            "REPLACE INTO t VALUES (1)", "(SELECT a FROM b) UNION (SELECT a FROM c)"})
    void sqlIsRecognised(String text) {
        assertTrue(SqlPortabilityRules.looksLikeSql(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "Select a zone from the list", "Update failed: Allocated -> Ready",
            "Cannot delete the pool", "Created snapshot %s", "Deleted from zone %s"})
    void proseIsNotSql(String text) {
        assertFalse(SqlPortabilityRules.looksLikeSql(text), text);
    }
}
