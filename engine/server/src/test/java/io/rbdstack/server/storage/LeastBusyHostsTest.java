package io.rbdstack.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastBusyHostsTest {

    private final Map<String, Integer> inFlight = new HashMap<>();
    private final LeastBusyHosts choice = new LeastBusyHosts(host -> inFlight.getOrDefault(host, 0));

    @Test
    void idleHostsTakeTurns() {
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            chosen.add(choice.choose(List.of("h1", "h2", "h3")));
        }

        assertEquals(List.of("h1", "h2", "h3", "h1", "h2", "h3"), chosen);
    }

    @Test
    void theHostWithFewestCommandsInFlightIsChosenWhateverTheTurn() {
        inFlight.put("h1", 2);
        inFlight.put("h2", 1);
        inFlight.put("h3", 3);

        for (int i = 0; i < 4; i++) {
            assertEquals("h2", choice.choose(List.of("h1", "h2", "h3")));
        }
    }

    @Test
    void aBusyHostIsPassedOverWhileTheIdleOnesTakeTurns() {
        inFlight.put("h2", 1); // e.g. a long backup

        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(choice.choose(List.of("h1", "h2", "h3")));
        }

        assertEquals(List.of("h1", "h3", "h1", "h3"), chosen);
    }

    @Test
    void aHostThatWasChosenLongestAgoGoesNextWhenTheLoadsAreEven() {
        List<String> all = List.of("h1", "h2", "h3");
        assertEquals("h1", choice.choose(all));
        inFlight.put("h2", 1);
        assertEquals("h3", choice.choose(all));
        inFlight.put("h2", 0); // h2 was never chosen: its turn comes before h1's second

        assertEquals("h2", choice.choose(all));
        assertEquals("h1", choice.choose(all));
    }

    @Test
    void oneHostIsAlwaysTheOne() {
        assertEquals("h1", choice.choose(List.of("h1")));
        assertEquals("h1", choice.choose(List.of("h1")));
    }

    @Test
    void noHostIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> choice.choose(List.of()));
    }
}
