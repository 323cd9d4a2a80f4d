package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6LiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2001:db8::1                             | 2001:db8::1
            2001:DB8:0:0:0:0:0:1                    | 2001:db8::1
            2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1
            ::1                                     | ::1
            ::                                      | ::
            1::                                     | 1::
            fe80::                                  | fe80::
            2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1
            2001:db8::1:0:0:1                       | 2001:db8::1:0:0:1
            2001:0:0:1:0:0:0:1                      | 2001:0:0:1::1
            2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1
            1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0
            ::ffff:192.0.2.10                       | ::ffff:c000:20a
            64:ff9b::192.0.2.10                     | 64:ff9b::c000:20a
            """)
    void canonicalFormIsRfc5952(String written, String canonical) {
        assertEquals(Optional.of(canonical), Ipv6Literal.canonical(written));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:::2", "1::2::3", "2001:db8:::1", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "12345::1", "2001:db8::g",
            ":1::2", "1::2:", "fe80::1%eth0", "192.0.2.10", "::192.0.2.256", "::1.2.3", "1.2.3.4::",
            "::ffff:01.2.3.4", "mon1", "2001:db8::1 "})
    void refusesWhatIsNotAnIpv6Address(String written) {
        assertTrue(Ipv6Literal.canonical(written).isEmpty(), written);
    }
}
