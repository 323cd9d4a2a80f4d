package io.rbdstack.server.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.protocol.MalformedMessageException;
import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.Request;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin jar's agent messages reach the server's codec only through the plugin class loader. */
class PluginJarsTest {

    @JsonTypeName("test.fromPluginJar")
    public record PluginCommand(String text) implements AgentCommand {
    }

    /** Named only by the jar written below: no services file on the test class path lists it. */
    public static final class PluginMessages implements AgentMessageTypes {
        @Override
        public List<Class<? extends AgentCommand>> commands() {
            return List.of(PluginCommand.class);
        }

        @Override
        public List<Class<? extends Answer>> answers() {
            return List.of();
        }
    }

    private static final byte[] REQUEST = ("{\"type\":\"request\",\"requestId\":4,\"timeoutMillis\":1000,"
            + "\"command\":{\"command\":\"test.fromPluginJar\",\"text\":\"hi\"}}").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void theCodecOfThePluginLoaderKnowsThePluginsMessages() throws Exception {
        writePluginJar(dir.resolve("rbdstack-storage-test.jar"));
        ClassLoader server = getClass().getClassLoader();

        MessageCodec withPlugins = MessageCodec.load(PluginJars.classLoader(Optional.of(dir), server));
        assertEquals(new Request(4, 1000, new PluginCommand("hi")), withPlugins.decode(REQUEST));

        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> MessageCodec.load(server).decode(REQUEST));
        assertEquals("unknown AgentCommand type 'test.fromPluginJar'", e.getMessage());
    }

    @Test
    void withoutAPluginDirectoryItIsTheServersLoader() throws Exception {
        ClassLoader server = getClass().getClassLoader();

        assertSame(server, PluginJars.classLoader(Optional.empty(), server));
        assertSame(server, PluginJars.classLoader(Optional.of(dir.resolve("absent")), server));
    }

    private static void writePluginJar(Path jar) throws Exception {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/" + AgentMessageTypes.class.getName()));
            out.write((PluginMessages.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
