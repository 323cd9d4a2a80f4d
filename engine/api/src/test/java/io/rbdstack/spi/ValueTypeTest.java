package io.rbdstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValueTypeTest {

    @Test
    void aWholeNumberIsAllowedFromItsMinimumToItsMaximumBothIncluded() {
        ValueType seconds = ValueType.wholeNumber(1, 604_800);
        assertTrue(seconds.accepts("1"));
        assertTrue(seconds.accepts("604800"));
        for (String refused : new String[] {"0", "-1", "604801", "9223372036854775807", "99999999999999999999",
                "1.0", " 5", "5 ", "+5", "", "five", "0x10"}) {
            assertEquals(Optional.of("must be a whole number from 1 to 604800"), seconds.problem(refused), refused);
        }
        assertFalse(seconds.accepts(null));
        assertEquals("INTEGER", seconds.typeName());
    }

    @Test
    void aDecimalComparesByValueNotByText() {
        ValueType factor = ValueType.decimal("0.1", "100");
        for (String allowed : new String[] {"0.1", "0.10", "1", "2.5", "100", "100.000"}) {
            assertTrue(factor.accepts(allowed), allowed);
        }
        for (String refused : new String[] {"0.09", "0", "-2", "-0.5", "100.01", "1e2", ".5", "1.", "NaN", "x"}) {
            assertEquals(Optional.of("must be a number from 0.1 to 100"), factor.problem(refused), refused);
        }
        assertEquals("DECIMAL", factor.typeName());
    }

    @Test
    void aFlagIsExactlyTrueOrFalse() {
        ValueType flag = ValueType.flag();
        assertTrue(flag.accepts("true"));
        assertTrue(flag.accepts("false"));
        assertEquals(Optional.of("must be true or false"), flag.problem("TRUE"));
        assertEquals(Optional.of("must be true or false"), flag.problem("1"));
        assertEquals("true or false", flag.allowed());
        assertEquals("BOOLEAN", flag.typeName());
    }

    @Test
    void textTakesAnythingButNothing() {
        assertTrue(ValueType.text().accepts(""));
        assertTrue(ValueType.text().accepts("layering,exclusive-lock"));
        assertFalse(ValueType.text().accepts(null));
        assertEquals("STRING", ValueType.text().typeName());
    }

    @Test
    void matchingTextMustHaveTheWholeForm() {
        ValueType name = ValueType.matching("[a-z][a-z0-9]{0,3}", "a short name");
        assertTrue(name.accepts("br0"));
        assertEquals(Optional.of("must be a short name"), name.problem("br0x1"));
        assertEquals(Optional.of("must be a short name"), name.problem("0br"));
        assertEquals(Optional.of("must be a short name"), name.problem(null));
        assertEquals("a short name", name.allowed());
        assertEquals("STRING", name.typeName());
    }

    @Test
    void aRangeWhoseMinimumExceedsItsMaximumCannotBeDeclared() {
        assertThrows(IllegalArgumentException.class, () -> ValueType.wholeNumber(5, 4));
        assertThrows(IllegalArgumentException.class, () -> ValueType.decimal("2", "1.5"));
    }
}
