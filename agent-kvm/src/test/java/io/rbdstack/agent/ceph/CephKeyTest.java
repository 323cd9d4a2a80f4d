package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.Secret;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CephKeyTest {

    /** A well-formed cephx key whose base64 holds '+', '/' and '=' (so its URL-safe form holds '-' and '_'). */
    static final String KEY = TestKeys.withAllBase64Specials(7);

    @Test
    void standardUrlSafeAndUnpaddedFormsAreTheSameKey() throws Exception {
        assertTrue(KEY.contains("+") && KEY.contains("/") && KEY.endsWith("="), KEY);
        CephKey standard = CephKey.parse(Secret.of(KEY));
        String urlSafe = KEY.replace('+', '-').replace('/', '_');
        assertEquals(standard, CephKey.parse(Secret.of(urlSafe)));
        assertEquals(standard, CephKey.parse(Secret.of(urlSafe.replace("=", ""))));
        assertEquals(standard, CephKey.parse(Secret.of(" " + KEY + "\n")));
        assertEquals(KEY, CephKey.parse(Secret.of(urlSafe)).base64(), "librados always gets standard base64");
        assertArrayEquals(Base64.getDecoder().decode(KEY), standard.bytes());
        assertEquals(28, standard.bytes().length);
    }

    @Test
    void malformedKeysAreRefusedWithoutQuotingThem() {
        String[] bad = {"", "not-base64!!", "AQAAAA==", Base64.getEncoder().encodeToString(new byte[28]),
                KEY.substring(0, 30)};
        for (String text : bad) {
            InvalidCephKeyException e = assertThrows(InvalidCephKeyException.class, () -> CephKey.parse(Secret.of(text)));
            assertEquals(-22, e.returnCode());
            assertFalse(!text.isEmpty() && e.getMessage().contains(text), e.getMessage());
        }
    }

    @Test
    void toStringIsMasked() throws Exception {
        CephKey key = CephKey.parse(Secret.of(KEY));
        assertFalse(key.toString().contains(KEY.substring(0, 8)));
    }
}
