package io.rbdstack.server.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListenerConfigTest {

    @Test
    void plainUsesTheDefaultsAndDerivesTheSilenceLimits() {
        ListenerConfig config = ListenerConfig.plain("0.0.0.0", ListenerConfig.DEFAULT_PORT);

        assertEquals(8250, config.port());
        assertTrue(config.tls().isEmpty());
        assertEquals(Duration.ofSeconds(60), config.heartbeatInterval());
        assertEquals(Duration.ofSeconds(180), config.overdueAfter());
        assertEquals(Duration.ofSeconds(360), config.disconnectAfter());
    }

    @Test
    void refusesWhatTheProtocolCannotCarry() {
        ListenerConfig config = ListenerConfig.plain("127.0.0.1", 0);

        assertThrows(IllegalArgumentException.class, () -> config.withHeartbeatInterval(Duration.ofNanos(500)));
        assertThrows(IllegalArgumentException.class, () -> config.withHeartbeatInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> config.withHandshakeTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> config.withPort(65536));
    }

    @Test
    void aListenerStartsOnceAndNotAfterClose() throws Exception {
        AgentListener listener = new AgentListener(ListenerConfig.plain("127.0.0.1", 0),
                io.rbdstack.protocol.MessageCodec.load(getClass().getClassLoader()),
                (token, hello) -> java.util.Optional.empty(), new RecordingStatusListener());
        listener.start();
        assertThrows(IllegalStateException.class, listener::start);
        listener.close();
        listener.close(); // idempotent
        assertThrows(IllegalStateException.class, listener::start);
    }
}
