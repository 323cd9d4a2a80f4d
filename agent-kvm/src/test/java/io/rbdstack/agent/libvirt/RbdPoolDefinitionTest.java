package io.rbdstack.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.Secret;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbdPoolDefinitionTest {

    private static final String UUID = "0b4c2b36-6d5e-4f3e-9a61-1f2e3d4c5b6a";
    private static final String SECRET = "5d0c8f53-9e2a-3b1c-8d4e-6f7a8b9c0d1e";

    private static RbdPool pool(CephMonitor... monitors) {
        return new RbdPool(UUID, List.of(monitors), "rbd", "rbdstack", Secret.of("AQ-not-used-here"));
    }

    @Test
    void buildsTheXmlLibvirtWants() {
        RbdPoolDefinition definition = RbdPoolDefinition.of(pool(new CephMonitor("10.0.0.1", 6789),
                new CephMonitor("mon2.example.com", 3300)), SECRET);
        assertEquals("<pool type='rbd'><name>" + UUID + "</name><uuid>" + UUID + "</uuid><source>"
                + "<host name='10.0.0.1' port='6789'/><host name='mon2.example.com' port='3300'/>"
                + "<name>rbd</name><auth type='ceph' username='rbdstack'><secret uuid='" + SECRET + "'/></auth>"
                + "</source></pool>", definition.toXml());
    }

    @Test
    void ipv6MonitorsGoInBareBecauseLibvirtAddsTheBrackets() {
        String xml = RbdPoolDefinition.of(pool(new CephMonitor("fd00::1", 6789), new CephMonitor("::1", 3300)), SECRET)
                .toXml();
        assertTrue(xml.contains("<host name='fd00::1' port='6789'/><host name='::1' port='3300'/>"), xml);
        assertTrue(!xml.contains("["), xml);
    }

    @Test
    void valuesAreEscaped() {
        RbdPool odd = new RbdPool(UUID, List.of(new CephMonitor("10.0.0.1", 6789)), "a&b<c>", "o'neil",
                Secret.of("x"));
        String xml = RbdPoolDefinition.of(odd, SECRET).toXml();
        assertTrue(xml.contains("<name>a&amp;b&lt;c&gt;</name>"), xml);
        assertTrue(xml.contains("username='o&apos;neil'"), xml);
        assertEquals(RbdPoolDefinition.of(odd, SECRET), RbdPoolDefinition.fromXml(xml));
    }

    @Test
    void readsLibvirtsOwnXmlBackAsTheSameDefinition() {
        // As libvirt 9.0 prints an rbd pool (virsh pool-dumpxml --inactive).
        String libvirtXml = """
                <pool type='rbd'>
                  <name>%s</name>
                  <uuid>%s</uuid>
                  <capacity unit='bytes'>4294967296</capacity>
                  <allocation unit='bytes'>0</allocation>
                  <available unit='bytes'>4080192256</available>
                  <source>
                    <host name='fd00::1' port='6789'/>
                    <host name='127.0.0.1' port='6789'/>
                    <name>rbd</name>
                    <auth type='ceph' username='rbdstack'>
                      <secret uuid='%s'/>
                    </auth>
                  </source>
                </pool>
                """.formatted(UUID, UUID, SECRET);
        RbdPoolDefinition expected = RbdPoolDefinition.of(pool(new CephMonitor("fd00::1", 6789),
                new CephMonitor("127.0.0.1", 6789)), SECRET);
        assertEquals(expected, RbdPoolDefinition.fromXml(libvirtXml));
    }

    @Test
    void anyConnectionDetailThatDiffersMakesADifferentDefinition() {
        RbdPoolDefinition base = RbdPoolDefinition.of(pool(new CephMonitor("10.0.0.1", 6789)), SECRET);
        assertNotEquals(base, RbdPoolDefinition.of(pool(new CephMonitor("10.0.0.2", 6789)), SECRET));
        assertNotEquals(base, RbdPoolDefinition.of(pool(new CephMonitor("10.0.0.1", 3300)), SECRET));
        assertNotEquals(base, RbdPoolDefinition.of(pool(new CephMonitor("10.0.0.1", 6789)), "other-secret"));
        assertNotEquals(base, RbdPoolDefinition.of(new RbdPool(UUID, List.of(new CephMonitor("10.0.0.1", 6789)),
                "rbd", "admin", Secret.of("x")), SECRET));
        assertEquals(base, RbdPoolDefinition.fromXml(base.toXml()));
    }

    @Test
    void aPoolOfAnotherTypeIsNoRbdDefinition() {
        assertNull(RbdPoolDefinition.fromXml("<pool type='dir'><name>x</name></pool>"));
    }
}
