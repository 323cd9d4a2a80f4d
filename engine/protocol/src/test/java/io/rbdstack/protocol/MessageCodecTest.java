package io.rbdstack.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.CertificateIssued;
import io.rbdstack.spi.agent.CertificateRequest;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.tls.CertificateSigningAnswer;
import io.rbdstack.spi.agent.tls.InstallCertificateCommand;
import io.rbdstack.spi.agent.tls.RenewCertificateCommand;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.Ping;
import io.rbdstack.spi.agent.Pong;
import io.rbdstack.spi.agent.Progress;
import io.rbdstack.spi.agent.StoppingNotice;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import io.rbdstack.spi.agent.Rejected;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.Welcome;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message type's exact wire form (the examples in docs/agent-protocol.md) and back. */
class MessageCodecTest {

    private static final HostInfo HOST_INFO = new HostInfo(8, 2400, 34359738368L, "9.0.0", "7.2.0", true, "kvm");
    private static final String HOST_INFO_JSON = "{\"cpuCount\":8,\"cpuSpeedMhz\":2400,\"memoryBytes\":34359738368,"
            + "\"libvirtVersion\":\"9.0.0\",\"qemuVersion\":\"7.2.0\",\"rbdStorageBackend\":true,\"virtType\":\"kvm\"}";

    private final MessageCodec codec = MessageCodec.load(getClass().getClassLoader());

    static Stream<Arguments> everyMessageType() {
        return Stream.of(
                Arguments.of(new Hello("t0k3n", "kvm1", "0.1.0", HOST_INFO),
                        "{\"type\":\"hello\",\"hostToken\":\"t0k3n\",\"hostname\":\"kvm1\",\"agentVersion\":\"0.1.0\","
                                + "\"hostInfo\":" + HOST_INFO_JSON + "}"),
                Arguments.of(new Welcome("6f1c2a9e-4b1d-4c8e-9a57-0d6c1e2f3a4b", 60000),
                        "{\"type\":\"welcome\",\"hostId\":\"6f1c2a9e-4b1d-4c8e-9a57-0d6c1e2f3a4b\","
                                + "\"heartbeatIntervalMillis\":60000}"),
                Arguments.of(new Rejected("invalid host credential"),
                        "{\"type\":\"rejected\",\"reason\":\"invalid host credential\"}"),
                Arguments.of(new Ping(42), "{\"type\":\"ping\",\"sequence\":42}"),
                Arguments.of(new Pong(42), "{\"type\":\"pong\",\"sequence\":42}"),
                Arguments.of(new Request(7, 30000, new EchoCommand("hi", 250)),
                        "{\"type\":\"request\",\"requestId\":7,\"timeoutMillis\":30000,"
                                + "\"command\":{\"command\":\"echo\",\"text\":\"hi\",\"delayMillis\":250}}"),
                Arguments.of(new Request(8, 30000, new ReadyCommand()),
                        "{\"type\":\"request\",\"requestId\":8,\"timeoutMillis\":30000,\"command\":{\"command\":\"ready\"}}"),
                Arguments.of(new Response(7, EchoAnswer.of("hi")),
                        "{\"type\":\"response\",\"requestId\":7,"
                                + "\"answer\":{\"answer\":\"echo\",\"success\":true,\"details\":null,\"text\":\"hi\"}}"),
                Arguments.of(new Response(8, ReadyAnswer.ready("kvm1", HOST_INFO)),
                        "{\"type\":\"response\",\"requestId\":8,\"answer\":{\"answer\":\"ready\",\"success\":true,"
                                + "\"details\":null,\"hostname\":\"kvm1\",\"hostInfo\":" + HOST_INFO_JSON + "}}"),
                Arguments.of(new CertificateRequest("t0k3n", "kvm1", "<PEM CSR>"),
                        "{\"type\":\"certificateRequest\",\"hostToken\":\"t0k3n\",\"hostname\":\"kvm1\","
                                + "\"csr\":\"<PEM CSR>\"}"),
                Arguments.of(new CertificateIssued("6f1c2a9e-4b1d-4c8e-9a57-0d6c1e2f3a4b", "<PEM>", "<PEM CA>"),
                        "{\"type\":\"certificateIssued\",\"hostId\":\"6f1c2a9e-4b1d-4c8e-9a57-0d6c1e2f3a4b\","
                                + "\"certificate\":\"<PEM>\",\"caCertificates\":\"<PEM CA>\"}"),
                Arguments.of(new Request(10, 30000, new RenewCertificateCommand()),
                        "{\"type\":\"request\",\"requestId\":10,\"timeoutMillis\":30000,"
                                + "\"command\":{\"command\":\"certificate.renew\"}}"),
                Arguments.of(new Response(10, new CertificateSigningAnswer(true, null, "<PEM CSR>")),
                        "{\"type\":\"response\",\"requestId\":10,\"answer\":{\"answer\":\"certificate.csr\","
                                + "\"success\":true,\"details\":null,\"csr\":\"<PEM CSR>\"}}"),
                Arguments.of(new Request(11, 30000, new InstallCertificateCommand("<PEM>", "<PEM CA>")),
                        "{\"type\":\"request\",\"requestId\":11,\"timeoutMillis\":30000,\"command\":"
                                + "{\"command\":\"certificate.install\",\"certificate\":\"<PEM>\",\"caCertificates\":\"<PEM CA>\"}}"),
                Arguments.of(new Response(9, GenericAnswer.failure("no such pool: rbd2")),
                        "{\"type\":\"response\",\"requestId\":9,"
                                + "\"answer\":{\"answer\":\"generic\",\"success\":false,\"details\":\"no such pool: rbd2\"}}"),
                Arguments.of(new Progress(10, 268435456, 1073741824),
                        "{\"type\":\"progress\",\"requestId\":10,\"done\":268435456,\"total\":1073741824}"),
                Arguments.of(new StoppingNotice(30000), "{\"type\":\"stopping\",\"graceMillis\":30000}"));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void encodesToTheDocumentedLineAndBack(AgentMessage message, String json) throws Exception {
        byte[] line = codec.encode(message);

        assertEquals(json + "\n", new String(line, StandardCharsets.UTF_8));
        assertEquals(message, codec.decode(line));
        assertEquals(message, codec.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLineHoldsOneNewlineEvenWhenTheTextHasSome() {
        String line = new String(codec.encode(new Request(1, 1, new EchoCommand("a\nb\r\n", 0))), StandardCharsets.UTF_8);

        assertEquals(line.length() - 1, line.indexOf('\n'));
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws Exception {
        String json = "{\"type\":\"ping\",\"sequence\":3,\"addedInVersion2\":{\"x\":1}}";

        assertEquals(new Ping(3), codec.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnknownCommandTypeIsMalformedAndNamesItsRequest() {
        String json = "{\"type\":\"request\",\"requestId\":12,\"timeoutMillis\":1000,"
                + "\"command\":{\"command\":\"resizeVolume\",\"key\":\"AQB-secret==\"}}";

        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));

        assertEquals("unknown AgentCommand type 'resizeVolume'", e.getMessage());
        assertEquals(OptionalLong.of(12), e.requestId());
    }

    @Test
    void aBadValueIsNamedByItsFieldNotQuoted() {
        String json = "{\"type\":\"request\",\"requestId\":12,\"timeoutMillis\":\"AQB-secret==\","
                + "\"command\":{\"command\":\"ready\"}}";

        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));

        assertEquals("invalid message at timeoutMillis", e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void somethingThatIsNotOneJsonObjectIsMalformed() {
        for (String line : new String[] {"hello", "{\"type\":\"ping\",\"sequence\":1} {}", "[1]", "{\"type\":\"ping\""}) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> codec.decode(line.getBytes(StandardCharsets.UTF_8)), line);
            assertTrue(e.requestId().isEmpty(), line);
        }
    }

    @Test
    void aHelloWithoutTokenIsTheMutualTlsHello() throws Exception {
        String json = "{\"type\":\"hello\",\"hostname\":\"kvm1\"}";

        Hello hello = (Hello) codec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(null, hello.hostToken());
        assertEquals(new Hello(null, "kvm1", "0.1.0", HOST_INFO), new Hello("t0k3n", "kvm1", "0.1.0", HOST_INFO).withoutToken());
    }

    @Test
    void theCertificateRequestMasksItsTokenInToString() {
        String text = new CertificateRequest("t0k3n-value", "kvm1", "-----BEGIN CERTIFICATE REQUEST-----").toString();

        assertFalse(text.contains("t0k3n-value"), text);
        assertFalse(text.contains("BEGIN"), text);
    }

    @Test
    void refusesToEncodeAMessageOverTheLimit() {
        String huge = "x".repeat(AgentMessage.MAX_LINE_BYTES);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Request(1, 1, new EchoCommand(huge, 0))));
        assertTrue(e.getMessage().startsWith("Request is "), e.getMessage());
    }

    @Test
    void theHelloMasksItsTokenInToString() {
        Hello hello = new Hello("t0k3n-value", "kvm1", "0.1.0", HOST_INFO);

        assertFalse(hello.toString().contains("t0k3n-value"));
        assertTrue(hello.toString().contains("hostToken=******"), hello.toString());
        assertTrue(hello.toString().contains("kvm1"));
    }
}
