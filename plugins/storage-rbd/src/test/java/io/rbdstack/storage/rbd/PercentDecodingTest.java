package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentDecodingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            AQB+x/y==        | AQB+x/y==
            AQB%2Bx%2Fy%3D%3D | AQB+x/y==
            AQB%2bx%2fy%3d%3d | AQB+x/y==
            a+b              | a+b
            %25              | %
            caf%C3%A9        | café
            """)
    void decodesPercentEscapesAndKeepsPlusAsPlus(String written, String decoded) throws Exception {
        assertEquals(decoded, PercentDecoding.decode(written, "url", "the secret"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            AQB%2          | not followed by two hexadecimal digits
            AQB%           | not followed by two hexadecimal digits
            AQB%G1x        | not followed by two hexadecimal digits
            AQB%FFx        | not valid UTF-8
            AQB%C3x        | not valid UTF-8
            """)
    void refusesBrokenEscapesWithoutQuotingTheText(String written, String expected) {
        var e = assertThrows(InvalidRbdDefinitionException.class,
                () -> PercentDecoding.decode(written, "url", "the secret"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("AQB"), e.getMessage());
    }
}
