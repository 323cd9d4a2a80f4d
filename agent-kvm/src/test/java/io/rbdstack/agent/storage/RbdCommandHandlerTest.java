package io.rbdstack.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbdCommandHandlerTest {

    private final GenericAnswer fromNext = GenericAnswer.failure("next");
    // Opened lazily: these tests never reach libvirt or Ceph.
    private final LibvirtConnection libvirt = LibvirtConnection.to("test:///default");
    private final RbdCommandHandler handler = RbdCommandHandler.create(new RadosConnector(RadosTimeouts.standard()),
            libvirt, () -> true, command -> fromNext);

    @Test
    void commandsItDoesNotKnowGoToTheNextHandler() {
        assertSame(fromNext, handler.handle(new EchoCommand("hi", 0)));
    }

    @Test
    void aMalformedKeyIsRefusedBeforeLibvirtOrCephSeeIt() {
        String key = "definitely not a key";
        RbdPool pool = new RbdPool("p1", List.of(new CephMonitor("127.0.0.1", 6789)), "rbd", "admin", Secret.of(key));
        GenericAnswer answer = (GenericAnswer) handler.handle(new DefineRbdPoolCommand(pool));
        assertFalse(answer.success());
        assertEquals("cannot define RBD pool p1: the cephx key is not base64 (standard or URL-safe)", answer.details());
        assertTrue(handler.definedPools().isEmpty());
        libvirt.close();
    }
}
