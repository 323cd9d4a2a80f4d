package io.rbdstack.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long the server waits for a connecting agent's dhcp.serveNetworks. */
class Dhcpv6NetworksTest {

    // The agent applies the networks one by one, each bounded as one dhcp.applyNetwork (30 s): one 30 s wait
    // for the whole set failed a host with several networks while it was still applying them.
    @Test
    void theWaitIsOneStepForTheRemovalsAndOnePerNetwork() {
        assertEquals(Duration.ofSeconds(30), Dhcpv6Networks.serveTimeout(0));
        assertEquals(Duration.ofSeconds(60), Dhcpv6Networks.serveTimeout(1));
        assertEquals(Duration.ofSeconds(330), Dhcpv6Networks.serveTimeout(10));
    }
}
