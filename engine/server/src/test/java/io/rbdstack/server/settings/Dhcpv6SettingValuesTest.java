package io.rbdstack.server.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiException;
import org.junit.jupiter.api.Test;

/** The DHCPv6 values the agents can run, and the others refused at updateConfiguration naming what is allowed. */
class Dhcpv6SettingValuesTest {

    @Test
    void onlyTheMemfileLeaseStoreIsAcceptedAndARefusalNamesTheSettingAndTheAllowedValues() {
        Setting.DHCPV6_LEASE_DATABASE_TYPE.checkAllowed("memfile");
        for (String other : new String[] {"mysql", "postgresql", "MEMFILE", ""}) {
            ApiException refused = assertThrows(ApiException.class,
                    () -> Setting.DHCPV6_LEASE_DATABASE_TYPE.checkAllowed(other));
            assertEquals(431, refused.errorCode().httpCode());
            assertTrue(refused.getMessage().contains("dhcpv6.lease.database.type must be one of: memfile"),
                    refused.getMessage());
        }
    }

    @Test
    void theControlSocketIsAnAbsolutePathAUnixSocketAddressHolds() {
        Setting.DHCPV6_KEA_CONTROL_SOCKET.checkAllowed("/run/kea/kea6-ctrl.sock");
        Setting.DHCPV6_KEA_CONTROL_SOCKET.checkAllowed("/" + "s".repeat(106));
        for (String bad : new String[] {"kea6-ctrl.sock", "/with space/k.sock", "/" + "s".repeat(107)}) {
            ApiException refused = assertThrows(ApiException.class,
                    () -> Setting.DHCPV6_KEA_CONTROL_SOCKET.checkAllowed(bad));
            assertEquals(431, refused.errorCode().httpCode());
            assertTrue(refused.getMessage().contains("dhcpv6.kea.control.socket must be an absolute path"),
                    refused.getMessage());
        }
    }
}
