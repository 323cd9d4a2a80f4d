package io.rbdstack.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0, () -> 0.5);

        long[] expected = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (int attempt = 0; attempt < expected.length; attempt++) {
            assertEquals(expected[attempt], backoff.delay(attempt).toMillis(), "attempt " + attempt);
        }
        assertEquals(60000, backoff.delay(Integer.MAX_VALUE).toMillis(), "no overflow");
    }

    @Test
    void jitterOnlyShortensUpToItsFraction() {
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(60);

        assertEquals(1000, new ReconnectBackoff(initial, max, 0.2, () -> 0.0).delay(0).toMillis());
        assertEquals(800, new ReconnectBackoff(initial, max, 0.2, () -> 1.0).delay(0).toMillis());
        assertEquals(54000, new ReconnectBackoff(initial, max, 0.2, () -> 0.5).delay(10).toMillis());
    }

    @Test
    void theStandardPolicyStaysWithinItsBounds() {
        ReconnectBackoff standard = ReconnectBackoff.standard();

        for (int i = 0; i < 100; i++) {
            long first = standard.delay(0).toMillis();
            long late = standard.delay(20).toMillis();
            assertTrue(first >= 800 && first <= 1000, "first " + first);
            assertTrue(late >= 48000 && late <= 60000, "late " + late);
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.5));
        assertThrows(IllegalArgumentException.class, () -> ReconnectBackoff.standard().delay(-1));
    }
}
