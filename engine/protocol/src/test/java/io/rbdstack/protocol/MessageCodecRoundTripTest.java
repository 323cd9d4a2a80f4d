package io.rbdstack.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.Ping;
import io.rbdstack.spi.agent.Pong;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import io.rbdstack.spi.agent.Rejected;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.Welcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The agent's twin of the server codec: the same wire form (the server's test pins each line). */
class MessageCodecRoundTripTest {

    private static final HostInfo HOST_INFO = new HostInfo(8, 2400, 34359738368L, "9.0.0", "7.2.0", true);

    private final MessageCodec codec = MessageCodec.load(getClass().getClassLoader());

    @Test
    void everyMessageTypeSurvivesTheRoundTrip() throws Exception {
        List<AgentMessage> messages = List.of(
                new Hello("t0k3n", "kvm1", "0.1.0", HOST_INFO),
                new Welcome("6f1c2a9e-4b1d-4c8e-9a57-0d6c1e2f3a4b", 60000),
                new Rejected("invalid host credential"),
                new Ping(1), new Pong(1),
                new Request(7, 30000, new EchoCommand("hi", 250)),
                new Request(8, 30000, new ReadyCommand()),
                new Response(7, EchoAnswer.of("hi")),
                new Response(8, ReadyAnswer.ready("kvm1", HOST_INFO)),
                new Response(9, GenericAnswer.failure("no such pool")));
        for (AgentMessage message : messages) {
            assertEquals(message, codec.decode(codec.encode(message)), message.toString());
        }
    }

    @Test
    void aRequestLineIsTheDocumentedOne() {
        assertEquals("{\"type\":\"request\",\"requestId\":8,\"timeoutMillis\":30000,\"command\":{\"command\":\"ready\"}}\n",
                new String(codec.encode(new Request(8, 30000, new ReadyCommand())), StandardCharsets.UTF_8));
    }

    @Test
    void aRequestForAnUnknownCommandNamesItsId() {
        byte[] line = "{\"type\":\"request\",\"requestId\":5,\"timeoutMillis\":1000,\"command\":{\"command\":\"future\"}}"
                .getBytes(StandardCharsets.UTF_8);

        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> codec.decode(line));

        assertEquals("unknown AgentCommand type 'future'", e.getMessage());
        assertEquals(OptionalLong.of(5), e.requestId());
    }
}
