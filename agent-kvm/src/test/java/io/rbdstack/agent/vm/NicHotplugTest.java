package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a plugged NIC is found in a domain's live XML: by its MAC, whatever the case libvirt prints. */
class NicHotplugTest {

    private static final String XML = "<domain><devices><disk type='network'><target dev='vda'/></disk>"
            + "<interface type='bridge'><mac address='52:54:00:ab:cd:ef'/><source bridge='br0'/></interface>"
            + "</devices></domain>";

    @Test
    void aNicIsFoundByItsMacInAnyCaseAndOnlyAmongInterfaces() {
        assertTrue(NicHotplug.hasMac(XML, "52:54:00:AB:CD:EF"));
        assertFalse(NicHotplug.hasMac(XML, "52:54:00:ab:cd:e0"));
        assertFalse(NicHotplug.hasMac("<domain><devices/></domain>", "52:54:00:ab:cd:ef"));
    }
}
