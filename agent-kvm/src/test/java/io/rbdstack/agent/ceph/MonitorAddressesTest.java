package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorAddressesTest {

    /** Literal addresses resolve without DNS; "mons.example" has two, "gone.example" none. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "mons.example" -> new InetAddress[] {InetAddress.getByName("10.0.0.1"), InetAddress.getByName("fd00::2")};
            case "gone.example" -> throw new UnknownHostException(host);
            default -> InetAddress.getAllByName(host);
        };
    }

    @Test
    void ipv4AndIpv6LiteralsKeepTheirPortsAndIpv6GetsBrackets() throws Exception {
        assertEquals("127.0.0.1:6789,[fd00:0:0:0:0:0:0:1]:3300", MonitorAddresses.monHost(
                List.of(new CephMonitor("127.0.0.1", 6789), new CephMonitor("fd00::1", 3300)), MonitorAddressesTest::resolve));
    }

    @Test
    void aNameContributesEveryAddressOnce() throws Exception {
        assertEquals("10.0.0.1:6789,[fd00:0:0:0:0:0:0:2]:6789", MonitorAddresses.monHost(
                List.of(new CephMonitor("mons.example", 6789), new CephMonitor("10.0.0.1", 6789)),
                MonitorAddressesTest::resolve));
    }

    @Test
    void anUnresolvableNameIsSkippedWhileAnotherMonitorRemains() throws Exception {
        assertEquals("127.0.0.1:6789", MonitorAddresses.monHost(
                List.of(new CephMonitor("gone.example", 6789), new CephMonitor("127.0.0.1", 6789)),
                MonitorAddressesTest::resolve));
    }

    @Test
    void noResolvableMonitorIsEinval() {
        CephException e = assertThrows(CephException.class, () -> MonitorAddresses.monHost(
                List.of(new CephMonitor("gone.example", 6789)), MonitorAddressesTest::resolve));
        assertEquals(-22, e.returnCode());
        assertEquals("no monitor name resolves: gone.example", e.getMessage());
    }
}
