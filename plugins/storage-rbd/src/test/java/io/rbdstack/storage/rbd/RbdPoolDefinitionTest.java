package io.rbdstack.storage.rbd;

import static io.rbdstack.storage.rbd.CephxTestKeys.assertNoPieceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.spi.Secret;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RbdPoolDefinitionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mon1                               | rbd://rbdstack@mon1:6789/rbd
            mon1,mon2,mon3                     | rbd://rbdstack@mon1,mon2,mon3:6789/rbd
            mon1,mon2:3300                     | rbd://rbdstack@mon1,mon2:3300/rbd
            mon1:6790,mon2:3300                | rbd://rbdstack@mon1:6790,mon2:3300/rbd
            mon1:6790,mon2                     | rbd://rbdstack@mon1:6790,mon2:6789/rbd
            [2001:db8::1]                      | rbd://rbdstack@[2001:db8::1]:6789/rbd
            [2001:db8::1],[2001:db8::2]:3300   | rbd://rbdstack@[2001:db8::1],[2001:db8::2]:3300/rbd
            [2001:db8::1]:6790,10.0.0.1        | rbd://rbdstack@[2001:db8::1]:6790,10.0.0.1:6789/rbd
            """)
    void urlWithoutSecretHasNoSecretAndParsesBackToTheSameDefinition(String monitors, String expected)
            throws Exception {
        for (String key : CephxTestKeys.ALL) {
            RbdPoolDefinition definition = RbdUrlParser.parse(
                    "rbd://client.rbdstack:" + CephxTestKeys.urlSafe(key) + "@" + monitors + "/rbd", null);
            assertEquals(expected, definition.urlWithoutSecret());
            assertNoPieceOf(key, definition.urlWithoutSecret());
            assertNoPieceOf(key, definition.toString());
            assertEquals(definition, RbdUrlParser.parse(definition.urlWithoutSecret(), Map.of("secret", key)));
        }
    }

    @Test
    void toStringShowsTheUrlWithoutSecretAndAMask() throws Exception {
        RbdPoolDefinition definition = RbdUrlParser.parse("rbd://admin:" + CephxTestKeys.MANY_SLASHES + "@mon1/rbd", null);
        assertEquals("RbdPoolDefinition[rbd://admin@mon1:6789/rbd, cephKey=******]", definition.toString());
    }

    @Test
    void becomesTheAgentsRbdPool() throws Exception {
        RbdPoolDefinition definition = RbdUrlParser.parse(
                "rbd://admin:" + CephxTestKeys.PLAIN + "@mon1,[2001:db8::2]:3300/rbd", null);
        RbdPool pool = definition.toRbdPool("6f1c2a9e-4b1d-4c8e-9a57-0d6c1e2f3a4b");
        assertEquals("mon1:3300,[2001:db8::2]:3300", pool.monHost());
        assertEquals("rbd", pool.cephPool());
        assertEquals("admin", pool.cephUser());
        assertEquals(CephxTestKeys.PLAIN, pool.cephKey().reveal());
    }

    @Test
    void needsAMonitorAndEveryPart() {
        Secret key = Secret.of(CephxTestKeys.PLAIN);
        List<CephMonitor> one = List.of(new CephMonitor("mon1", 6789));
        assertThrows(IllegalArgumentException.class, () -> new RbdPoolDefinition(List.of(), "rbd", "admin", key));
        assertThrows(NullPointerException.class, () -> new RbdPoolDefinition(null, "rbd", "admin", key));
        assertThrows(NullPointerException.class, () -> new RbdPoolDefinition(one, null, "admin", key));
        assertThrows(NullPointerException.class, () -> new RbdPoolDefinition(one, "rbd", null, key));
        assertThrows(NullPointerException.class, () -> new RbdPoolDefinition(one, "rbd", "admin", null));
    }
}
