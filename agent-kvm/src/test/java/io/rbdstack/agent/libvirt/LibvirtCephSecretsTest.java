package io.rbdstack.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class LibvirtCephSecretsTest {

    @Test
    void theSecretUuidFollowsFromThePoolUuidOnEveryHost() {
        String pool = "0b4c2b36-6d5e-4f3e-9a61-1f2e3d4c5b6a";
        assertEquals(LibvirtCephSecrets.secretUuid(pool), LibvirtCephSecrets.secretUuid(pool));
        assertNotEquals(LibvirtCephSecrets.secretUuid(pool), LibvirtCephSecrets.secretUuid(UUID.randomUUID().toString()));
        assertNotEquals(pool, LibvirtCephSecrets.secretUuid(pool));
        assertEquals(3, UUID.fromString(LibvirtCephSecrets.secretUuid(pool)).version());
    }

    @Test
    void theXmlIsAPrivatePersistentCephSecret() {
        assertEquals("<secret ephemeral='no' private='yes'><uuid>u</uuid><usage type='ceph'>"
                + "<name>client.rbdstack p</name></usage></secret>",
                LibvirtCephSecrets.xml("u", LibvirtCephSecrets.usageName("rbdstack", "p")));
    }
}
