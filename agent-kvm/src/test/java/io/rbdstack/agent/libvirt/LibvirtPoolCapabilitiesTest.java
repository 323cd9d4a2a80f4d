package io.rbdstack.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LibvirtPoolCapabilitiesTest {

    @Test
    void rbdIsSupportedOnlyWhenLibvirtSaysYes() {
        String with = "<storagepoolCapabilities><pool type='dir' supported='yes'/>"
                + "<pool type='rbd' supported='yes'><volOptions/></pool></storagepoolCapabilities>";
        // What libvirtd lists when libvirt-daemon-driver-storage-rbd is not installed.
        String without = "<storagepoolCapabilities><pool type='dir' supported='yes'/>"
                + "<pool type='rbd' supported='no'/></storagepoolCapabilities>";
        String notListed = "<storagepoolCapabilities><pool type='dir' supported='yes'/></storagepoolCapabilities>";
        assertTrue(LibvirtPoolCapabilities.supports(with, "rbd"));
        assertFalse(LibvirtPoolCapabilities.supports(without, "rbd"));
        assertFalse(LibvirtPoolCapabilities.supports(notListed, "rbd"));
    }
}
