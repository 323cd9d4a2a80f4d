package io.rbdstack.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import org.junit.jupiter.api.Test;

class MacAddressesTest {

    @Test
    void theSequenceFillsTheLastFourBytesUnderTheIdentifier() {
        assertEquals("02:00:00:00:00:01", MacAddresses.of(0, 1));
        assertEquals("02:1e:00:00:01:00", MacAddresses.of(30, 256));
        assertEquals("02:ff:12:34:56:78", MacAddresses.of(255, 0x12345678L));
        assertEquals("02:00:ff:ff:ff:ff", MacAddresses.of(0, MacAddresses.MAX_SEQUENCE));
    }

    @Test
    void aSequenceOrIdentifierThatDoesNotFitIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> MacAddresses.of(0, MacAddresses.MAX_SEQUENCE + 1));
        assertThrows(IllegalArgumentException.class, () -> MacAddresses.of(256, 1));
        assertThrows(IllegalArgumentException.class, () -> MacAddresses.of(0, -1));
    }

    @Test
    void aGivenMacIsLowerCasedAndMayBeLocallyAdministered() {
        assertEquals("02:ab:cd:ef:00:11", MacAddresses.checked("02:AB:cd:EF:00:11", "macaddress"));
        assertEquals("52:54:00:12:34:56", MacAddresses.checked(" 52:54:00:12:34:56 ", "macaddress"));
    }

    @Test
    void malformedMulticastAndZeroMacsAreRefusedNamingTheParameter() {
        assertRefused("02:00:00:00:00", "not a MAC address");
        assertRefused("02-00-00-00-00-01", "not a MAC address");
        assertRefused("02:00:00:00:00:0g", "not a MAC address");
        assertRefused("0200.0000.0001", "not a MAC address");
        assertRefused("01:00:5e:00:00:01", "multicast");
        assertRefused("ff:ff:ff:ff:ff:ff", "multicast");
        assertRefused("00:00:00:00:00:00", "all-zero");
    }

    private static void assertRefused(String mac, String why) {
        ApiException e = assertThrows(ApiException.class, () -> MacAddresses.checked(mac, "iptonetworklist[0].mac"));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
        assertTrue(e.getMessage().startsWith("Invalid value '" + mac + "' for parameter iptonetworklist[0].mac: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
