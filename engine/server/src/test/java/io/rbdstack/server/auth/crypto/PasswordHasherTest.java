package io.rbdstack.server.auth.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

    private static final PasswordHasher HASHER = new PasswordHasher();

    /*
     * Known answers computed independently with Python:
     *   hashlib.pbkdf2_hmac('sha256', 'pässwörd €'.encode('utf-8'), bytes(range(1, 17)), n, 32)
     */
    private static final char[] KNOWN_PASSWORD = "pässwörd €".toCharArray();
    private static final String KNOWN_1000 =
            "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=";
    private static final String KNOWN_210000 =
            "pbkdf2-sha256$210000$AQIDBAUGBwgJCgsMDQ4PEA==$kUqoc9Uuc2Y1ZNotGutvgTgJjj7d/CBbcc44GeFSReI=";

    @Test
    void encodedFormCarriesAlgorithmCostSaltAndHash() {
        String encoded = HASHER.hash("password".toCharArray());
        assertTrue(encoded.matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}="), encoded);
        String[] parts = encoded.split("\\$");
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
    }

    @Test
    void roundTrip() {
        String encoded = HASHER.hash("correct horse".toCharArray());
        assertTrue(HASHER.matches("correct horse".toCharArray(), encoded));
        assertFalse(HASHER.matches("correct horsE".toCharArray(), encoded));
        assertFalse(HASHER.matches("correct horse ".toCharArray(), encoded));
    }

    @Test
    void samePasswordGetsDifferentSalts() {
        String a = HASHER.hash("password".toCharArray());
        String b = HASHER.hash("password".toCharArray());
        assertNotEquals(a, b);
        assertNotEquals(a.split("\\$")[2], b.split("\\$")[2]);
        assertNotEquals(a.split("\\$")[3], b.split("\\$")[3]);
    }

    @Test
    void knownAnswerVectors() {
        assertTrue(HASHER.matches(KNOWN_PASSWORD.clone(), KNOWN_1000));
        assertTrue(HASHER.matches(KNOWN_PASSWORD.clone(), KNOWN_210000));
        assertFalse(HASHER.matches("passwörd €".toCharArray(), KNOWN_1000));
        assertFalse(HASHER.matches(KNOWN_PASSWORD.clone(), KNOWN_1000.replace("$1000$", "$1001$")));
    }

    @Test
    void doesNotTouchTheCallersArray() {
        char[] password = KNOWN_PASSWORD.clone();
        HASHER.matches(password, KNOWN_1000);
        assertTrue(Arrays.equals(KNOWN_PASSWORD, password));
    }

    @Test
    void emptyPasswordIsRefusedAndNeverMatches() {
        assertThrows(IllegalArgumentException.class, () -> HASHER.hash(new char[0]));
        assertFalse(HASHER.matches(new char[0], KNOWN_1000));
        assertThrows(NullPointerException.class, () -> HASHER.hash(null));
    }

    @Test
    void costCanRise() {
        assertTrue(HASHER.needsRehash(KNOWN_1000));
        assertFalse(HASHER.needsRehash(KNOWN_210000));
        PasswordHasher stronger = new PasswordHasher(300_000);
        assertTrue(stronger.needsRehash(KNOWN_210000));
        assertTrue(stronger.matches(KNOWN_PASSWORD.clone(), KNOWN_210000)); // old hashes still verify
    }

    @Test
    void costBelowTheMinimumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(209_999));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(100_000_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "plain-text-secret",
        "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==",
        "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=$",
        "pbkdf2-sha1$1000$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "PBKDF2-SHA256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$+1000$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$-1$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$0$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$99999999999$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$20000000$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$1000$!!!notbase64$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$1000$AQIDBA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4+Ap/5k=",
        "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$",
        "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$4cD9JeqsQEUCOpMqg3SzTICvcyP6iC30Tu6W4-Ap_5k=",
    })
    void malformedStoredValuesAreRejectedWithoutEchoingThem(String stored) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HASHER.matches("hunter2-secret".toCharArray(), stored));
        assertTrue(e.getMessage().startsWith("stored password hash is malformed: "), e.getMessage());
        assertFalse(!stored.isEmpty() && e.getMessage().contains(stored), "must not echo the stored value");
        assertFalse(e.getMessage().contains("hunter2"), "must not echo the password");
        assertThrows(IllegalArgumentException.class, () -> HASHER.needsRehash(stored));
    }

    @Test
    void nullStoredValueIsMalformed() {
        assertThrows(IllegalArgumentException.class, () -> HASHER.matches("x".toCharArray(), null));
    }
}
