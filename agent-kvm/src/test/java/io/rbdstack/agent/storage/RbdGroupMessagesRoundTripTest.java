package io.rbdstack.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import io.rbdstack.storage.rbd.agent.CreateRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.ListRbdGroupSnapshotsCommand;
import io.rbdstack.storage.rbd.agent.RbdGroupRollbackAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotsAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RbdTemplateDeleteAnswer;
import io.rbdstack.storage.rbd.agent.RollbackRbdGroupSnapshotCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The group snapshot and template delete messages as the server and the agent exchange them (the codec both load). */
class RbdGroupMessagesRoundTripTest {

    private static final RbdPool POOL = new RbdPool("p-uuid", List.of(new CephMonitor("10.0.0.1", 6789)), "rbd",
            "cloudstack", Secret.of("AQBexamplekey=="));

    private final MessageCodec codec = MessageCodec.load(getClass().getClassLoader());

    @Test
    void everyGroupMessageSurvivesTheRoundTrip() throws Exception {
        List<AgentMessage> messages = List.of(
                new Request(1, 1000, new CreateRbdGroupSnapshotCommand(POOL, "vm-1", List.of("v1", "v2"), "s1")),
                new Request(2, 1000, new ListRbdGroupSnapshotsCommand(POOL, "vm-1")),
                new Request(3, 1000, new RollbackRbdGroupSnapshotCommand(POOL, "vm-1", "s1")),
                new Request(4, 1000, new DeleteRbdGroupSnapshotCommand(POOL, "vm-1", "s1")),
                new Request(5, 1000, new DeleteRbdGroupCommand(POOL, "vm-1")),
                new Request(6, 1000, new DeleteRbdTemplateCommand(POOL, "tmpl-t", "base", true)),
                new Response(1, new RbdGroupSnapshotAnswer(true, null, "vm-1", "s1", List.of(
                        new RbdGroupSnapshotAnswer.ImageSize("v1", 1024), new RbdGroupSnapshotAnswer.ImageSize("v2", 2048)),
                        false)),
                new Response(2, new RbdGroupSnapshotsAnswer(true, null, List.of(
                        new RbdGroupSnapshotsAnswer.Entry("s1", true), new RbdGroupSnapshotsAnswer.Entry("s2", false)))),
                new Response(3, new RbdGroupRollbackAnswer(false, "image rbd/v1 is in use", true)),
                new Response(6, new RbdTemplateDeleteAnswer(false, "1 clone(s) depend on it", true)));
        for (AgentMessage message : messages) {
            assertEquals(message, codec.decode(codec.encode(message)), message.toString());
        }
    }

    @Test
    void theWireFormNamesTheTypesAndEachImageWithItsSize() {
        String answer = new String(codec.encode(new Response(1, new RbdGroupSnapshotAnswer(true, null, "vm-1", "s1",
                List.of(new RbdGroupSnapshotAnswer.ImageSize("v1", 1024)), false))), StandardCharsets.UTF_8);
        assertTrue(answer.contains("\"answer\":\"rbd.groupSnapshot\"") && answer.contains(
                "\"images\":[{\"image\":\"v1\",\"sizeBytes\":1024}]"), answer);
        String request = new String(codec.encode(new Request(1, 1000, new CreateRbdGroupSnapshotCommand(POOL, "vm-1",
                List.of("v1"), "s1"))), StandardCharsets.UTF_8);
        assertTrue(request.contains("\"command\":\"rbd.groupSnapshotCreate\"") && request.contains(
                "\"images\":[\"v1\"]"), request);
    }
}
