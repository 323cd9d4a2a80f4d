package io.rbdstack.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class TemplateChecksumTest {

    private static final String SHA256_OF_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String MD5_OF_ABC = "900150983cd24fb0d6963f7d28e17f72";

    @Test
    void algorithmInBracesIsTakenAndHexLowerCased() {
        TemplateChecksum checksum = TemplateChecksum.parse("{SHA-256}" + SHA256_OF_ABC.toUpperCase());
        assertEquals("SHA-256", checksum.algorithm());
        assertEquals(SHA256_OF_ABC, checksum.hex());
        assertEquals("{SHA-256}" + SHA256_OF_ABC, checksum.toString());
    }

    @Test
    void bareHexIsMd5At32DigitsAsCloudStackAssumesAndSha256At64() {
        assertEquals("MD5", TemplateChecksum.parse(MD5_OF_ABC).algorithm());
        assertEquals("SHA-256", TemplateChecksum.parse(SHA256_OF_ABC).algorithm());
        assertEquals("SHA-1", TemplateChecksum.parse("a9993e364706816aba3e25717850c26c9cd0d89d").algorithm());
    }

    @Test
    void algorithmNamesAreCaseAndDashInsensitive() {
        assertEquals("MD5", TemplateChecksum.parse("{md5}" + MD5_OF_ABC).algorithm());
        assertEquals("SHA-256", TemplateChecksum.parse("{sha256}" + SHA256_OF_ABC).algorithm());
    }

    @Test
    void refusesWrongLengthsUnknownAlgorithmsAndNonHex() {
        assertThrows(IllegalArgumentException.class, () -> TemplateChecksum.parse("{SHA-256}" + MD5_OF_ABC));
        assertThrows(IllegalArgumentException.class, () -> TemplateChecksum.parse("{CRC32}" + MD5_OF_ABC));
        assertThrows(IllegalArgumentException.class, () -> TemplateChecksum.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> TemplateChecksum.parse("z".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> TemplateChecksum.parse("{SHA-256" + SHA256_OF_ABC));
        assertThrows(IllegalArgumentException.class, () -> TemplateChecksum.parse("{MD5}"));
    }

    @Test
    void matchesTheDigestOfTheRightDataOnly() throws Exception {
        TemplateChecksum checksum = TemplateChecksum.parse("{SHA-256}" + SHA256_OF_ABC);
        MessageDigest digest = MessageDigest.getInstance(checksum.algorithm());
        assertTrue(checksum.matches(digest.digest("abc".getBytes(StandardCharsets.US_ASCII))));
        assertFalse(checksum.matches(digest.digest("abd".getBytes(StandardCharsets.US_ASCII))));
    }
}
