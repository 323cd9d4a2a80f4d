package io.rbdstack.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostFactsTest {

    @Test
    void decodesLibvirtVersionNumbers() {
        assertEquals("9.0.0", HostFacts.version(9_000_000));
        assertEquals("7.2.22", HostFacts.version(7_002_022));
        assertEquals("10.10.1", HostFacts.version(10_010_001));
    }

    @Test
    void theDomainTypeIsKvmOnlyWhenTheCapabilitiesOfferIt() {
        String qemuOnly = "<capabilities><host/><guest><os_type>hvm</os_type><arch name='x86_64'>"
                + "<domain type='qemu'/></arch></guest></capabilities>";
        String withKvm = "<capabilities><host/><guest><os_type>hvm</os_type><arch name='x86_64'>"
                + "<domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>";
        assertEquals("qemu", HostFacts.virtTypeOf(qemuOnly));
        assertEquals("kvm", HostFacts.virtTypeOf(withKvm));
    }

    @Test
    void theDomainTypeOverrideIsKvmOrQemuOrNothing() {
        org.junit.jupiter.api.Assertions.assertNull(HostFacts.domainTypeOverride(null));
        org.junit.jupiter.api.Assertions.assertNull(HostFacts.domainTypeOverride(" "));
        org.junit.jupiter.api.Assertions.assertEquals("qemu", HostFacts.domainTypeOverride("qemu"));
        org.junit.jupiter.api.Assertions.assertEquals("kvm", HostFacts.domainTypeOverride(" kvm "));
        IllegalArgumentException wrong = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HostFacts.domainTypeOverride("tcg"));
        org.junit.jupiter.api.Assertions.assertEquals("rbdstack.vm.domain.type must be kvm or qemu, not 'tcg'",
                wrong.getMessage());
    }

    @Test
    void theDomainTypeOfAgentPropertiesWinsOverTheSystemPropertyWithoutAskingLibvirt() throws Exception {
        // Never connected: a configured type needs no capabilities.
        LibvirtConnection unreachable = LibvirtConnection.to("qemu+tcp://192.0.2.1/system");
        String before = System.getProperty(HostFacts.DOMAIN_TYPE_PROPERTY);
        System.setProperty(HostFacts.DOMAIN_TYPE_PROPERTY, "qemu");
        try {
            assertEquals("kvm", new HostFacts(unreachable, Optional.of("kvm")).virtType());
            assertEquals("qemu", new HostFacts(unreachable, Optional.empty()).virtType(), "the system property's");
        } finally {
            if (before == null) {
                System.clearProperty(HostFacts.DOMAIN_TYPE_PROPERTY);
            } else {
                System.setProperty(HostFacts.DOMAIN_TYPE_PROPERTY, before);
            }
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> new HostFacts(unreachable, Optional.of("tcg")));
        assertEquals("domain type must be kvm or qemu, not 'tcg'", wrong.getMessage());
    }
}
