package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.agent.ceph.RadosConnector.Traffic;
import io.rbdstack.spi.Secret;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.CloneRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.FlattenRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which shared connection a command's requests go on: what the command declares of itself, transfer or not. */
class RadosConnectorTrafficTest {

    private static final RbdPool POOL = new RbdPool("p", List.of(new CephMonitor("192.0.2.1", 6789)), "rbd",
            "cloudstack", Secret.of("AQAAsecret=="));

    @Test
    void copyingCommandsGoOnTheTransfersConnectionAndTheOthersOnTheCommandsOne() {
        assertEquals(Traffic.TRANSFERS, Traffic.of(new FlattenRbdImageCommand(POOL, "v")));
        assertEquals(Traffic.TRANSFERS, Traffic.of(new CloneRbdSnapshotCommand(POOL, "v", "s", "n", false)),
                "a clone flattened at once copies the data");
        assertEquals(Traffic.COMMANDS, Traffic.of(new CloneRbdSnapshotCommand(POOL, "v", "s", "n", true)),
                "a linked clone is O(1)");
        assertEquals(Traffic.TRANSFERS, Traffic.of(new DeleteRbdTemplateCommand(POOL, "t", "base", true)));
        assertEquals(Traffic.COMMANDS, Traffic.of(new DeleteRbdTemplateCommand(POOL, "t", "base", false)));
        assertEquals(Traffic.COMMANDS, Traffic.of(new CreateRbdImageCommand(POOL, "v", 1L << 30)));
    }
}
