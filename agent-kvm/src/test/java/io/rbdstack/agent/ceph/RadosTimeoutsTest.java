package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RadosTimeoutsTest {

    @Test
    void standardIsFifteenSecondsEachAndTheConnectDeadlineAddsGrace() {
        RadosTimeouts standard = RadosTimeouts.standard();
        assertEquals(Duration.ofSeconds(15), standard.mount());
        assertEquals(Duration.ofSeconds(15), standard.monOp());
        assertEquals(Duration.ofSeconds(15), standard.osdOp());
        assertEquals(Duration.ofSeconds(25), standard.connectDeadline());
    }

    @Test
    void libradosTakesWholeSecondsOnly() {
        assertThrows(IllegalArgumentException.class, () -> RadosTimeouts.of(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> RadosTimeouts.of(Duration.ZERO));
    }
}
