package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DHCPv6 messages as the server and the agent exchange them (the codec both load). */
class DhcpMessagesRoundTripTest {

    private final MessageCodec codec = MessageCodec.load(getClass().getClassLoader());

    @Test
    void everyDhcpMessageSurvivesTheRoundTrip() throws Exception {
        List<AgentMessage> messages = List.of(
                new Request(1, 1000, KeaConfigTest.seedNetwork()),
                new Request(2, 1000, new RemoveDhcpNetworkCommand("n-1")),
                new Request(3, 1000, new ServeDhcpNetworksCommand(List.of(KeaConfigTest.seedNetwork(),
                        withSocketAndStore(KeaConfigTest.seedNetwork())))),
                new Request(4, 1000, new ServeDhcpNetworksCommand(List.of())),
                new Response(1, new DhcpNetworkAnswer(true, null, 1, 2)),
                new Response(2, DhcpNetworkAnswer.failed("cannot serve DHCPv6 for network n-1: …")));
        for (AgentMessage message : messages) {
            assertEquals(message, codec.decode(codec.encode(message)), message.toString());
        }
    }

    private static ApplyDhcpNetworkCommand withSocketAndStore(ApplyDhcpNetworkCommand c) {
        return new ApplyDhcpNetworkCommand(c.networkUuid(), c.bridge(), c.prefix(), c.gateway(), c.pool(), c.pdPool(),
                c.lifetimes(), c.macSources(), c.reservations(), "/run/kea/ctrl.sock", "memfile");
    }

    @Test
    void theServerSettingsTravelWithTheNetworkAndAnOlderSenderLeavesThemNull() throws Exception {
        String wire = new String(codec.encode(new Request(1, 1000, withSocketAndStore(KeaConfigTest.seedNetwork()))),
                StandardCharsets.UTF_8);
        assertTrue(wire.contains("\"controlSocket\":\"/run/kea/ctrl.sock\"")
                && wire.contains("\"leaseDatabaseType\":\"memfile\""), wire);
        String older = wire.replace(",\"controlSocket\":\"/run/kea/ctrl.sock\"", "")
                .replace(",\"leaseDatabaseType\":\"memfile\"", "");
        ApplyDhcpNetworkCommand decoded = (ApplyDhcpNetworkCommand) ((Request) codec.decode(
                older.getBytes(StandardCharsets.UTF_8))).command();
        assertEquals(KeaConfigTest.seedNetwork(), decoded);
    }

    @Test
    void theWireFormNamesTheTypeAndTheReservations() {
        String request = new String(codec.encode(new Request(1, 1000, KeaConfigTest.seedNetwork())), StandardCharsets.UTF_8);
        assertTrue(request.contains("\"command\":\"dhcp.applyNetwork\"") && request.contains(
                "{\"mac\":\"02:00:00:00:00:01\",\"ip6Address\":\"2001:db8:0:0:0:ff:fe00:1\",\"delegatedPrefix\":null}")
                && request.contains("\"lifetimes\":{\"renewSeconds\":1000,\"rebindSeconds\":2000,"
                + "\"preferredSeconds\":3000,\"validSeconds\":4000}"), request);
    }
}
