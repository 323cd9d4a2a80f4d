package io.rbdstack.agent.vm;

import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtErrors;

/** The ITs' clean-up of the domains they started. */
final class TestDomains {

    private TestDomains() {
    }

    /** Destroys the domain of that name if libvirt has it; any other libvirt error is thrown. */
    static void destroyIfThere(LibvirtConnection libvirt, String name) throws Exception {
        libvirt.call(connect -> {
            try {
                connect.domainLookupByName(name).destroy();
            } catch (org.libvirt.LibvirtException e) {
                if (!LibvirtErrors.isNoDomain(e)) {
                    throw e;
                }
            }
            return null;
        });
    }
}
