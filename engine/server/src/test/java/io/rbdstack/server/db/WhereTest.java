package io.rbdstack.server.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WhereTest {

    @Test
    void onlyTheFiltersGivenBecomeConditionsEachWithItsArgument() {
        Where where = Where.of("s.removed IS NULL").andIf("s.account_id = ?", Optional.of(7L))
                .andIf("s.uuid = ?", Optional.empty()).andContains("s.name", Optional.of("ab"))
                .andIn("s.snapshot_type", List.of("HOURLY", "DAILY")).andIn("s.status", List.of());
        assertEquals(" WHERE s.removed IS NULL AND s.account_id = ? AND s.name LIKE ? AND s.snapshot_type IN (?, ?)",
                where.sql());
        assertArrayEquals(new Object[] {7L, "%ab%", "HOURLY", "DAILY"}, where.args());
        assertArrayEquals(new Object[] {7L, "%ab%", "HOURLY", "DAILY", 100}, where.args(100));
    }

    @Test
    void aClauseWithoutFiltersIsItsFixedCondition() {
        Where where = Where.of("j.account_id = ?", 3L).andContains("j.cmd", Optional.empty());
        assertEquals(" WHERE j.account_id = ?", where.sql());
        assertArrayEquals(new Object[] {3L}, where.args());
        assertEquals("", Where.empty().andIf("j.account_id = ?", Optional.empty()).sql(), "no filter, no WHERE");
    }

    @Test
    void aKeywordMatchesLiterallyAndNoNamedIdsMatchNothing() {
        Where where = Where.empty().andContains("e.type", Optional.of("50%_\\")).andAmong("e.id", List.of());
        assertEquals(" WHERE e.type LIKE ? AND 1 = 0", where.sql());
        assertArrayEquals(new Object[] {"%50\\%\\_\\\\%"}, where.args());
        assertEquals(" WHERE e.id IN (?, ?)", Where.empty().andAmong("e.id", List.of(1L, 2L)).sql());
    }
}
