package io.rbdstack.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.spi.ValueType;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderOptionTest {

    private static final ProviderOption TIMEOUT = new ProviderOption("x.timeout.seconds",
            ValueType.wholeNumber(5, 3600), "60", "How long to wait.");

    /** Reading options reaches no host. */
    private static final HostGateway NO_HOSTS = new HostGateway() {
        @Override
        public List<String> upHosts(PoolScope scope) {
            return List.of();
        }

        @Override
        public Answer send(String hostUuid, AgentCommand command, Duration timeout) {
            throw new AssertionError("no host to send to");
        }
    };

    @Test
    void anOptionWhoseDefaultItsOwnTypeRefusesCannotBeDeclared() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProviderOption(
                "x.timeout.seconds", ValueType.wholeNumber(5, 3600), "0", "h"));
        assertEquals("Default '0' of option x.timeout.seconds must be a whole number from 5 to 3600", e.getMessage());
    }

    @Test
    void aProviderReadsTheSetValueOrTheDefaultWhenNoneIsSetOrTheSetOneIsOutOfRange() {
        assertEquals(120, context(Map.of("x.timeout.seconds", "120")).wholeNumber(TIMEOUT));
        assertEquals(60, context(Map.of()).wholeNumber(TIMEOUT));
        // Stored before the option had a range, say: a provider never sees it.
        assertEquals(60, context(Map.of("x.timeout.seconds", "0")).wholeNumber(TIMEOUT));
        assertEquals(60, context(Map.of("x.timeout.seconds", "soon")).wholeNumber(TIMEOUT));
        assertEquals("60", context(Map.of("x.timeout.seconds", "-1")).option(TIMEOUT));
    }

    @Test
    void onlyAWholeNumberOptionReadsAsOne() {
        ProviderOption features = new ProviderOption("x.features", ValueType.text(), "layering", "h");
        assertThrows(IllegalArgumentException.class, () -> context(Map.of()).wholeNumber(features));
    }

    private static ProviderContext context(Map<String, String> values) {
        return new ProviderContext(values, NO_HOSTS);
    }
}
