package io.rbdstack.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.RbdMessageTypes;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RbdCommandHandlerTest {

    private final RadosConnector rados = new RadosConnector(RadosTimeouts.standard());
    // Opened lazily: these tests never reach libvirt or Ceph.
    private final LibvirtConnection libvirt = LibvirtConnection.to("test:///default");
    private final RbdPoolCommands pools = RbdPoolCommands.create(rados, libvirt, () -> true);
    private final CommandHandlerRegistry registry = CommandHandlerRegistry.of(RbdCommandHandlers.handlers(rados, pools));

    @AfterEach
    void closeLibvirt() {
        libvirt.close();
    }

    @Test
    void everyCommandThePluginContributesHasAHandler() {
        assertEquals(Set.copyOf(new RbdMessageTypes().commands()), registry.commandTypes());
    }

    @Test
    void aMalformedKeyIsRefusedBeforeLibvirtOrCephSeeIt() {
        String key = "definitely not a key";
        RbdPool pool = new RbdPool("p1", List.of(new CephMonitor("127.0.0.1", 6789)), "rbd", "admin", Secret.of(key));
        CommandHandler handler = registry;
        GenericAnswer answer = (GenericAnswer) handler.handle(new DefineRbdPoolCommand(pool));
        assertFalse(answer.success());
        assertEquals("cannot define RBD pool p1: the cephx key is not base64 (standard or URL-safe)", answer.details());
        assertTrue(pools.definedPools().isEmpty());
    }
}
