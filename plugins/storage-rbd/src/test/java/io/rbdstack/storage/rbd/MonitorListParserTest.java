package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorListParserTest {

    /** The monitors as librados' mon_host would get them: host:port, IPv6 in brackets. */
    private static String monHost(String written, OptionalInt portDetail) throws InvalidRbdDefinitionException {
        return MonitorListParser.parse(written, "url", portDetail).stream().map(CephMonitor::monHostEntry)
                .collect(Collectors.joining(","));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mon1                                  | mon1:6789
            mon1,mon2                             | mon1:6789,mon2:6789
            mon1,mon2,mon3                        | mon1:6789,mon2:6789,mon3:6789
            10.0.0.1                              | 10.0.0.1:6789
            10.0.0.1,10.0.0.2,10.0.0.3            | 10.0.0.1:6789,10.0.0.2:6789,10.0.0.3:6789
            ceph-mon-1.example.com                | ceph-mon-1.example.com:6789
            Mon1.Example.COM                      | mon1.example.com:6789
            [2001:db8::1]                         | [2001:db8::1]:6789
            [2001:db8::1],[2001:db8::2]           | [2001:db8::1]:6789,[2001:db8::2]:6789
            [::ffff:192.0.2.10]                   | [::ffff:c000:20a]:6789
            mon1,10.0.0.2,[2001:db8::3]           | mon1:6789,10.0.0.2:6789,[2001:db8::3]:6789
            """)
    void namesIpv4AndBracketedIpv6DefaultToTheV1Port(String written, String expected) throws Exception {
        assertEquals(expected, monHost(written, OptionalInt.empty()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mon1:3300                             | mon1:3300
            mon1,mon2:6789                        | mon1:6789,mon2:6789
            mon1,mon2,mon3:3300                   | mon1:3300,mon2:3300,mon3:3300
            mon1:6790,mon2,mon3:3300              | mon1:6790,mon2:3300,mon3:3300
            mon1:3300,mon2                        | mon1:3300,mon2:6789
            mon1:3300,mon2:6789                   | mon1:3300,mon2:6789
            mon1,mon2:3300,mon3                   | mon1:6789,mon2:3300,mon3:6789
            10.0.0.1:3300,10.0.0.2:3300           | 10.0.0.1:3300,10.0.0.2:3300
            [2001:db8::1]:3300                    | [2001:db8::1]:3300
            [2001:db8::1],[2001:db8::2]:3300      | [2001:db8::1]:3300,[2001:db8::2]:3300
            [2001:db8::1]:6789,mon2:3300          | [2001:db8::1]:6789,mon2:3300
            mon1:1,mon2:65535                     | mon1:1,mon2:65535
            """)
    void aPortOnTheLastMonitorIsSharedByTheMonitorsWithoutOne(String written, String expected) throws Exception {
        assertEquals(expected, monHost(written, OptionalInt.empty()));
    }

    @ParameterizedTest(name = "{0} + port={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            mon1                       | 3300 | mon1:3300
            mon1,mon2:6789             | 3300 | mon1:3300,mon2:3300
            mon1:6790,mon2             | 3300 | mon1:6790,mon2:3300
            [2001:db8::1]:6789         | 3300 | [2001:db8::1]:3300
            """)
    void thePortDetailReplacesTheSharedPortButNotAMonitorsOwn(String written, int port, String expected)
            throws Exception {
        assertEquals(expected, monHost(written, OptionalInt.of(port)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mon1,mon1                                  | mon1:6789
            mon1,mon2,mon1                             | mon1:6789,mon2:6789
            mon1,MON1,Mon1.Example.com,mon1.example.com | mon1:6789,mon1.example.com:6789
            MON1,mon1:6789                             | mon1:6789
            [2001:db8::1],[2001:0DB8:0:0::1]           | [2001:db8::1]:6789
            mon1:6789,mon1:3300                        | mon1:6789,mon1:3300
            """)
    void repeatedMonitorsAreDroppedKeepingTheFirst(String written, String expected) throws Exception {
        assertEquals(expected, monHost(written, OptionalInt.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            mon1,,mon2                 | monitor 2 of 3 is empty
            ",mon1"                    | monitor 1 of 2 is empty
            "mon1,"                    | monitor 2 of 2 is empty
            mon1:0                     | monitor 1 of 1: the port is not a number from 1 to 65535
            mon1:65536                 | monitor 1 of 1: the port is not a number from 1 to 65535
            mon1:-1                    | the port is not a number from 1 to 65535
            mon1:+1                    | the port is not a number from 1 to 65535
            mon1:                      | the port is not a number from 1 to 65535
            mon1:67890123              | the port is not a number from 1 to 65535
            mon1:http                  | the port is not a number from 1 to 65535
            mon1,mon2:x                | monitor 2 of 2: the port is not a number
            :6789                      | monitor 1 of 1 has a port but no host
            2001:db8::1                | looks like an IPv6 address without brackets
            mon1,2001:db8::1:6789      | monitor 2 of 2 looks like an IPv6 address without brackets
            ::1                        | looks like an IPv6 address without brackets
            [2001:db8::1               | has '[' without ']'
            [2001:db8::1]6789          | has text after ']' that is not ':port'
            [2001:db8::1]:             | the port is not a number
            [mon1]                     | is not a valid IPv6 address inside [ ]
            [10.0.0.1]                 | is not a valid IPv6 address inside [ ]
            [2001:db8::g]:3300         | is not a valid IPv6 address inside [ ]
            [fe80::1%eth0]             | is not a valid IPv6 address inside [ ]
            10.0.0.256                 | is not a valid IPv4 address
            010.0.0.1                  | is not a valid IPv4 address
            10.0.0                     | is not a valid IPv4 address
            10.0.0.1.                  | is not a valid IPv4 address
            mon_1                      | is not a valid host name
            -mon1                      | is not a valid host name
            mon1-                      | is not a valid host name
            mon1.                      | is not a valid host name
            mon..example.com           | is not a valid host name
            mon%2C2                    | is not a valid host name
            mon1;mon2                  | is not a valid host name
            "mon1, mon2"               | contains whitespace
            "mon1,\tmon2"              | contains whitespace
            """)
    void badListsNameTheMonitorByPositionOnly(String written, String expected) {
        var e = assertThrows(InvalidRbdDefinitionException.class,
                () -> MonitorListParser.parse(written, "details[].monitors", OptionalInt.empty()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid value for parameter details[].monitors: "), e.getMessage());
    }

    @Test
    void aHostNameMayBe253CharactersWithLabelsOf63() throws Exception {
        String label = "a".repeat(63);
        String longest = String.join(".", label, label, label, "b".repeat(61));
        assertEquals(253, longest.length());
        assertEquals(List.of(new CephMonitor(longest, 6789)), MonitorListParser.parse(longest, "url", OptionalInt.empty()));
        assertThrows(InvalidRbdDefinitionException.class,
                () -> MonitorListParser.parse(longest + "b", "url", OptionalInt.empty()));
        assertThrows(InvalidRbdDefinitionException.class,
                () -> MonitorListParser.parse("a".repeat(64) + ".example.com", "url", OptionalInt.empty()));
    }
}
