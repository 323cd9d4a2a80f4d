package io.rbdstack.dbupgrade.portability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SQL that works on the test database (MariaDB 10.11) but not on MySQL 5.7 under its default strict
 * sql_mode, or the other way round. Literal contents and comments never match.
 */
final class SqlPortabilityRules {

    /** One rule broken at {@code offset} of the checked SQL. */
    record Finding(String rule, int offset, String message) {
    }

    private record PatternRule(String id, Pattern pattern, String message) {
    }

    private static final List<PatternRule> PATTERN_RULES = List.of(
            rule("any-value", "\\bANY_VALUE\\s*\\(", "ANY_VALUE() exists only in MySQL"),
            rule("json-arrow", "->>?\\s*['\"]", "the JSON operators -> and ->> exist only in MySQL"),
            rule("transaction-isolation", "\\btransaction_isolation\\b",
                    "@@transaction_isolation is MySQL's name, unknown to MariaDB 10.11 (use SET TRANSACTION"
                            + " ISOLATION LEVEL or JDBC)"),
            rule("json-table", "\\bJSON_TABLE\\s*\\(", "JSON_TABLE() is not in MySQL 5.7"),
            rule("create-or-replace", "\\bCREATE\\s+OR\\s+REPLACE\\b(?!\\s+(?:ALGORITHM\\s*=\\s*\\w+\\s+)?"
                            + "(?:DEFINER\\s*=\\s*\\S+\\s+)?(?:SQL\\s+SECURITY\\s+\\w+\\s+)?VIEW\\b)",
                    "CREATE OR REPLACE is MariaDB-only (MySQL has it for views only)"),
            rule("column-if-exists", "\\bADD\\s+(?:COLUMN\\s+)?IF\\s+NOT\\s+EXISTS\\b"
                            + "|\\b(?:DROP|CHANGE|MODIFY)\\s+(?:COLUMN\\s+)?IF\\s+EXISTS\\b",
                    "ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS are MariaDB-only"),
            rule("index-if-exists",
                    "\\bCREATE\\s+(?:UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\s+IF\\s+NOT\\s+EXISTS\\b"
                            + "|\\bDROP\\s+(?:INDEX|KEY)\\s+IF\\s+EXISTS\\b"
                            + "|\\bADD\\s+(?:UNIQUE\\s+)?(?:INDEX|KEY)\\s+IF\\s+NOT\\s+EXISTS\\b",
                    "CREATE INDEX IF NOT EXISTS / DROP INDEX IF EXISTS are MariaDB-only"),
            rule("constraint-if-exists",
                    "\\bADD\\s+(?:CONSTRAINT\\s+(?:\\S+\\s+)?)?(?:FOREIGN|PRIMARY)\\s+KEY\\s+IF\\s+NOT\\s+EXISTS\\b"
                            + "|\\bADD\\s+CONSTRAINT\\s+IF\\s+NOT\\s+EXISTS\\b"
                            + "|\\bDROP\\s+(?:FOREIGN\\s+KEY|CONSTRAINT|PARTITION)\\s+IF\\s+EXISTS\\b",
                    "IF [NOT] EXISTS on constraints is MariaDB-only"),
            rule("returning", "\\bRETURNING\\b", "INSERT / DELETE … RETURNING is MariaDB-only"),
            rule("tx-isolation", "\\btx_isolation\\b",
                    "tx_isolation is MariaDB's name, deprecated in MySQL 5.7 and gone from MySQL 8"),
            rule("innodb-large-prefix", "\\binnodb_large_prefix\\b",
                    "innodb_large_prefix is gone from MariaDB 10.3+ and MySQL 8"),
            rule("window-function", "\\bOVER\\s*\\(", "window functions (… OVER (…)) are not in MySQL 5.7"),
            rule("cte", "\\bWITH\\s+(?:RECURSIVE\\s+)?`?\\w+`?\\s*(?:\\([^)]*\\)\\s*)?AS\\s*\\(",
                    "common table expressions (WITH name AS (…)) are not in MySQL 5.7"),
            rule("except-intersect", "\\b(?:EXCEPT|INTERSECT)\\b", "EXCEPT and INTERSECT are not in MySQL 5.7"),
            rule("sequence", "\\b(?:NEXTVAL|LASTVAL|SETVAL)\\s*\\(|\\bNEXT\\s+VALUE\\s+FOR\\b|\\bCREATE\\s+SEQUENCE\\b",
                    "sequences are MariaDB-only"));

    /** Statement shapes that make a string SQL; upper- or lower-case keywords, so prose rarely matches. */
    private static final String SHAPE = "\\bSELECT\\b[\\s\\S]+\\bFROM\\b|\\bINSERT\\s+(?:IGNORE\\s+)?INTO\\b"
            + "|\\bREPLACE\\s+INTO\\b|\\bUPDATE\\s+[`\\w.]+\\s+SET\\b|\\bDELETE\\s+FROM\\b"
            + "|\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+|UNIQUE\\s+)?(?:TABLE|VIEW|INDEX|SEQUENCE)\\b"
            + "|\\bALTER\\s+TABLE\\b|^\\s*\\(?\\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|REPLACE)\\b";
    private static final Pattern SQL_UPPER = Pattern.compile(SHAPE);
    private static final Pattern SQL_LOWER = Pattern.compile(Pattern.compile("[A-Z]{2,}").matcher(SHAPE)
            .replaceAll(keyword -> keyword.group().toLowerCase(Locale.ROOT)));

    private SqlPortabilityRules() {
    }

    /** Every rule's id, so tests can prove each one fires. */
    static List<String> ruleIds() {
        return Stream.concat(Stream.of(OrderByRules.GROUP_BY, OrderByRules.DISTINCT),
                PATTERN_RULES.stream().map(PatternRule::id)).toList();
    }

    /** Whether a string from Java code is SQL: it starts with or contains a statement's keywords. */
    static boolean looksLikeSql(String text) {
        return SQL_UPPER.matcher(text).find() || SQL_LOWER.matcher(text).find();
    }

    static List<Finding> check(String sql) {
        String masked = SqlTokenizer.mask(sql);
        List<Finding> findings = new ArrayList<>();
        for (PatternRule rule : PATTERN_RULES) {
            Matcher m = rule.pattern().matcher(masked);
            while (m.find()) {
                findings.add(new Finding(rule.id(), m.start(), rule.message()));
            }
        }
        findings.addAll(OrderByRules.check(SqlNode.parse(SqlTokenizer.tokenize(masked))));
        findings.sort(Comparator.comparingInt(Finding::offset));
        return findings;
    }

    private static PatternRule rule(String id, String regex, String message) {
        return new PatternRule(id, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), message);
    }
}
