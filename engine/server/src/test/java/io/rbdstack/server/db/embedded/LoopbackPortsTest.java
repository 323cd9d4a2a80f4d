package io.rbdstack.server.db.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void aPortIsFreeUntilSomethingListensOnIt() throws Exception {
        int port = LoopbackPorts.pickFree();
        assertTrue(port > 0);
        assertTrue(LoopbackPorts.isFree(port));
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertFalse(LoopbackPorts.isFree(port));
        }
    }
}
