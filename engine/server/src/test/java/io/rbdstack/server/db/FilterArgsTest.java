package io.rbdstack.server.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FilterArgsTest {

    @Test
    void equalityValuesTwiceKeywordBareAndWildcardedInOrder() {
        assertArrayEquals(new Object[] {"u", "u", null, null, "ab", "%ab%", 7L, 7L},
                FilterArgs.of(Optional.of("u"), Optional.empty(), FilterArgs.like(Optional.of("ab")), Optional.of(7L)));
        assertArrayEquals(new Object[] {null, null}, FilterArgs.of(FilterArgs.like(Optional.empty())));
    }

    @Test
    void aPlainValueIsAMistake() {
        assertThrows(IllegalArgumentException.class, () -> FilterArgs.of("not optional"));
    }
}
