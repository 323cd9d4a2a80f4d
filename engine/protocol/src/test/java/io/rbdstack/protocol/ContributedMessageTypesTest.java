package io.rbdstack.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.CoreMessageTypes;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands and answers a module contributes, as the codec registers, checks and refuses them. */
class ContributedMessageTypesTest {

    @JsonTypeName("test.shout")
    public record ShoutCommand(String text) implements AgentCommand {
    }

    @JsonTypeName("test.shout")
    public record ShoutAnswer(boolean success, String details, String text) implements Answer {
    }

    /** What a module's META-INF/services entry would name. */
    public static final class ShoutMessages implements AgentMessageTypes {
        @Override
        public List<Class<? extends AgentCommand>> commands() {
            return List.of(ShoutCommand.class);
        }

        @Override
        public List<Class<? extends Answer>> answers() {
            return List.of(ShoutAnswer.class);
        }
    }

    @JsonTypeName("test.whisper")
    public record WhisperCommand(String text) implements AgentCommand {
        @Override
        public boolean retrySafe() {
            return true;
        }
    }

    /** A module whose one command is retry-safe. */
    public static final class WhisperMessages implements AgentMessageTypes {
        @Override
        public List<Class<? extends AgentCommand>> commands() {
            return List.of(WhisperCommand.class);
        }

        @Override
        public List<Class<? extends Answer>> answers() {
            return List.of();
        }
    }

    record UnnamedCommand() implements AgentCommand {
    }

    @JsonTypeName("echo")
    record AnotherEcho() implements AgentCommand {
    }

    private static final String SHOUT_REQUEST =
            "{\"type\":\"request\",\"requestId\":3,\"timeoutMillis\":1000,\"command\":{\"command\":\"test.shout\",\"text\":\"hi\"}}";

    @TempDir
    Path dir;

    @Test
    void aContributedCommandAndAnswerRoundTripUnderTheirWireNames() throws Exception {
        MessageCodec codec = new MessageCodec(List.of(new CoreMessageTypes(), new ShoutMessages()));
        Request request = new Request(3, 1000, new ShoutCommand("hi"));
        Response response = new Response(3, new ShoutAnswer(true, null, "HI"));

        assertEquals(SHOUT_REQUEST + "\n", new String(codec.encode(request), StandardCharsets.UTF_8));
        assertEquals(request, codec.decode(codec.encode(request)));
        assertEquals(response, codec.decode(codec.encode(response)));
    }

    @Test
    void retrySafetyStaysOffTheWire() throws Exception {
        MessageCodec codec = new MessageCodec(List.of(new CoreMessageTypes(), new WhisperMessages()));
        Request request = new Request(4, 1000, new WhisperCommand("hi"));

        assertEquals("{\"type\":\"request\",\"requestId\":4,\"timeoutMillis\":1000,\"command\":{\"command\":"
                + "\"test.whisper\",\"text\":\"hi\"}}\n", new String(codec.encode(request), StandardCharsets.UTF_8));
        assertEquals(request, codec.decode(codec.encode(request)));
        assertEquals(true, new WhisperCommand("hi").retrySafe());
        assertEquals(false, new ShoutCommand("hi").retrySafe(), "a command is not retry-safe unless it says so");
    }

    @Test
    void aTypeNoModuleContributedIsRefusedOnTheWireByItsName() {
        MessageCodec coreOnly = new MessageCodec(List.of(new CoreMessageTypes()));

        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> coreOnly.decode(SHOUT_REQUEST.getBytes(StandardCharsets.UTF_8)));

        assertEquals("unknown AgentCommand type 'test.shout'", e.getMessage());
        assertEquals(OptionalLong.of(3), e.requestId());
    }

    @Test
    void aTypeNoModuleContributedIsNotSent() {
        MessageCodec coreOnly = new MessageCodec(List.of(new CoreMessageTypes()));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> coreOnly.encode(new Request(1, 1000, new ShoutCommand("hi"))));

        assertEquals(ShoutCommand.class.getName() + " is not a registered agent message type: list it in its "
                + "module's AgentMessageTypes", e.getMessage());
    }

    @Test
    void contributionsAreFoundThroughTheGivenClassLoader() throws Exception {
        try (URLClassLoader plugin = withMessageTypes(ShoutMessages.class.getName())) {
            MessageCodec codec = MessageCodec.load(plugin);

            assertEquals(new Request(3, 1000, new ShoutCommand("hi")),
                    codec.decode(SHOUT_REQUEST.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aClassWithoutWireNameIsRefusedAtStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MessageCodec(List.of(new CoreMessageTypes(), commands(UnnamedCommand.class))));

        assertEquals(UnnamedCommand.class.getName() + " (listed by " + Commands.class.getName()
                + ") has no wire name: annotate it with @JsonTypeName", e.getMessage());
    }

    @Test
    void twoClassesWithOneWireNameAreRefusedAtStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MessageCodec(List.of(new CoreMessageTypes(), commands(AnotherEcho.class))));

        assertEquals("two AgentCommand types are named 'echo': io.rbdstack.spi.agent.EchoCommand and "
                + AnotherEcho.class.getName(), e.getMessage());
    }

    @Test
    void withoutTheCoreTypesThereIsNoCodec() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MessageCodec(List.of(new ShoutMessages())));

        assertEquals("the core agent message types are not registered: engine/api's "
                + "META-INF/services/io.rbdstack.spi.agent.AgentMessageTypes is not on the class path", e.getMessage());
    }

    private record Commands(List<Class<? extends AgentCommand>> commands) implements AgentMessageTypes {
        @Override
        public List<Class<? extends Answer>> answers() {
            return List.of();
        }
    }

    private static AgentMessageTypes commands(Class<? extends AgentCommand> type) {
        return new Commands(List.of(type));
    }

    /** The test's class loader and, like a plugin jar, a class path root whose services file names these. */
    private URLClassLoader withMessageTypes(String... providers) throws IOException {
        Path root = dir.resolve("plugin");
        Path services = root.resolve("META-INF/services/" + AgentMessageTypes.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, String.join("\n", providers) + "\n");
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader());
    }
}
