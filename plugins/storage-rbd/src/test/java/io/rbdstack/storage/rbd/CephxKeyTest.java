package io.rbdstack.storage.rbd;

import static io.rbdstack.storage.rbd.CephxTestKeys.assertNoPieceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class CephxKeyTest {

    private static final String PARAM = "details[].secret";

    @ParameterizedTest
    @FieldSource("io.rbdstack.storage.rbd.CephxTestKeys#ALL")
    void realKeysHaveTheShapeOfCryptoKeyEncode(String key) {
        byte[] blob = Base64.getDecoder().decode(key);
        assertEquals(28, blob.length);
        assertEquals(1, blob[0], "u16 type, little-endian: 1 = CEPH_CRYPTO_AES");
        assertEquals(0, blob[1]);
        assertEquals(16, blob[10], "u16 secret length after the 8-byte utime_t");
        assertEquals(0, blob[11]);
        assertTrue(key.startsWith("AQ") && key.endsWith("==") && key.length() == 40);
    }

    @ParameterizedTest
    @FieldSource("io.rbdstack.storage.rbd.CephxTestKeys#ALL")
    void standardUrlSafeUnpaddedAndMixedAllNormaliseToCephsOwnForm(String key) throws Exception {
        assertEquals(key, CephxKey.normalise(key, PARAM).reveal());
        assertEquals(key, CephxKey.normalise(CephxTestKeys.urlSafe(key), PARAM).reveal());
        assertEquals(key, CephxKey.normalise(CephxTestKeys.unpadded(key), PARAM).reveal());
        assertEquals(key, CephxKey.normalise(CephxTestKeys.unpadded(CephxTestKeys.urlSafe(key)), PARAM).reveal());
        // The zone wizard's String.replace swaps only the first '+' and the first '/'.
        assertEquals(key, CephxKey.normalise(key.replaceFirst("\\+", "-").replaceFirst("/", "_"), PARAM).reveal());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 0x0101})
    void aBlobOfTheRightLengthWithAnotherTypeIsRefused(int type) {
        String notAes = CephxTestKeys.blob(type, 16);
        var e = assertThrows(InvalidRbdDefinitionException.class, () -> CephxKey.normalise(notAes, PARAM));
        assertTrue(e.getMessage().contains("type field is not 1"), e.getMessage());
        assertNoPieceOf(notAes, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15, 17, 0x1000})
    void aBlobOfTheRightLengthWithAnotherLengthFieldIsRefused(int lengthField) {
        byte[] blob = Base64.getDecoder().decode(CephxTestKeys.blob(1, 16));
        blob[10] = (byte) lengthField;
        blob[11] = (byte) (lengthField >> 8);
        String key = Base64.getEncoder().encodeToString(blob);
        var e = assertThrows(InvalidRbdDefinitionException.class, () -> CephxKey.normalise(key, PARAM));
        assertTrue(e.getMessage().contains("length field is not 16"), e.getMessage());
        assertNoPieceOf(key, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            AES-256 key of newer Ceph (type 2, 32 bytes)           | 2 | 32 | 59 base64 characters
            AES-128 secret cut short                               | 1 | 15 | 36 base64 characters
            AES-128 secret too long                                | 1 | 17 | 39 base64 characters
            """)
    void blobsOfAnotherSizeAreRefusedByLength(String what, int type, int secretLength, String expected) {
        String key = CephxTestKeys.blob(type, secretLength);
        var e = assertThrows(InvalidRbdDefinitionException.class, () -> CephxKey.normalise(key, PARAM));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertNoPieceOf(key, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            truncated           | AQAfpgZrslWDBhAA3vOY//bMfF1//V6R             | 32 base64 characters
            one character lost  | AQAfpgZrslWDBhAA3vOY//bMfF1//V6Rhcy9A==      | 37 base64 characters
            characters added    | AQAfpgZrslWDBhAA3vOY//bMfF1//V6Rhcy9ZAAA==   | 40 base64 characters
            padding inside      | AQAfpgZrslWDBhAA3vOY//b=fF1//V6Rhcy9ZA==     | '=' before its end
            one padding char    | AQAfpgZrslWDBhAA3vOY//bMfF1//V6Rhcy9ZA=      | ends in 1 '='
            three padding chars | AQAfpgZrslWDBhAA3vOY//bMfF1//V6Rhcy9ZA===    | ends in 3 '='
            not base64          | AQAfpgZrslWDBhAA3vOY//bM!F1//V6Rhcy9ZA==     | not base64
            a dot               | AQAfpgZrslWDBhAA3vOY//bM.F1//V6Rhcy9ZA==     | not base64
            trailing space      | "AQAfpgZrslWDBhAA3vOY//bMfF1//V6Rhcy9ZA== "  | whitespace
            space inside        | "AQAfpgZrslWDBhAA3vOY //bMfF1//V6Rhcy9ZA=="  | whitespace
            empty               | ""                                           | the secret is empty
            """)
    void malformedKeysSayWhyWithoutQuotingThem(String what, String key, String expected) {
        var e = assertThrows(InvalidRbdDefinitionException.class, () -> CephxKey.normalise(key, PARAM));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid value for parameter " + PARAM + ": "), e.getMessage());
        assertEquals(PARAM, e.parameter());
        assertNoPieceOf(key, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\t"})
    void aPastedLineEndOrTabIsWhitespace(String whitespace) {
        String key = CephxTestKeys.MANY_SLASHES + whitespace;
        var e = assertThrows(InvalidRbdDefinitionException.class, () -> CephxKey.normalise(key, PARAM));
        assertTrue(e.getMessage().contains("whitespace"), e.getMessage());
        assertNoPieceOf(key, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"AQAVpgZrOOoSDxAAKk2boKcuyQnyMa7dRptNOx, AQAVpgZrOOoSDxAAKk2boKcuyQnyMa7dRptNOw=="})
    void unusedLowBitsOfTheLastCharacterNameTheSameKeyAndComeOutCanonical(String written, String canonical)
            throws Exception {
        assertEquals(canonical, CephxKey.normalise(written, PARAM).reveal());
    }
}
