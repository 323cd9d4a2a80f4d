package io.rbdstack.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandHandlerRegistryTest {

    @JsonTypeName("test.unhandled")
    record UnhandledCommand() implements AgentCommand {
    }

    @TempDir
    Path dir;

    @Test
    void aCommandGoesToTheHandlerOfItsClass() {
        CommandHandlerRegistry registry = CommandHandlerRegistry.of(List.of(
                AgentCommandHandler.of(EchoCommand.class, echo -> EchoAnswer.of(echo.text() + "!"))));

        assertEquals(EchoAnswer.of("hi!"), registry.handle(new EchoCommand("hi", 0)));
    }

    @Test
    void aCommandNoHandlerKnowsIsAnsweredWithAFailureNamingItsType() {
        CommandHandlerRegistry registry = CommandHandlerRegistry.of(List.of(
                AgentCommandHandler.of(EchoCommand.class, echo -> EchoAnswer.of(echo.text()))));

        assertEquals(GenericAnswer.failure("this agent has no handler for command 'test.unhandled' (UnhandledCommand)"),
                registry.handle(new UnhandledCommand()));
    }

    @Test
    void twoHandlersForOneCommandAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CommandHandlerRegistry.of(List.of(
                AgentCommandHandler.of(EchoCommand.class, echo -> EchoAnswer.of("first")),
                AgentCommandHandler.of(EchoCommand.class, echo -> EchoAnswer.of("second")))));

        assertEquals("command 'echo' (EchoCommand) has two handlers, both from the given list; an agent runs each "
                + "command with exactly one", e.getMessage());
    }

    /** Two modules on the class path that handle one command: the agent must not start. */
    @Test
    void twoModulesHandlingOneCommandNameBoth() throws Exception {
        ClassLoader twoModules = withFactories(BasicCommandHandlers.class.getName(), SecondEcho.class.getName());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CommandHandlerRegistry.load(twoModules, new FixedContext()));

        assertEquals("command 'echo' (EchoCommand) has two handlers, from " + BasicCommandHandlers.class.getName()
                + " and from " + SecondEcho.class.getName() + "; an agent runs each command with exactly one",
                e.getMessage());
    }

    public static final class SecondEcho implements AgentCommandHandlerFactory {
        @Override
        public List<AgentCommandHandler<?>> create(AgentContext context) {
            return List.of(AgentCommandHandler.of(EchoCommand.class, echo -> EchoAnswer.of("second")));
        }
    }

    /** A class loader whose only handler factories are the given ones (as if in their jars' META-INF/services). */
    private ClassLoader withFactories(String... factories) throws IOException {
        Path services = Files.writeString(dir.resolve("factories"), String.join("\n", factories) + "\n");
        String resource = "META-INF/services/" + AgentCommandHandlerFactory.class.getName();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(resource) ? Collections.enumeration(List.of(services.toUri().toURL()))
                        : super.getResources(name);
            }
        };
    }

    private static final class FixedContext implements AgentContext {
        @Override
        public String hostname() {
            return "kvm1";
        }

        @Override
        public HostInfo hostInfo() {
            return new HostInfo(1, 1000, 1L << 30, "9.0.0", "7.2.0", true);
        }

        @Override
        public <T> T service(Class<T> type) {
            throw new IllegalStateException("no services here");
        }

        @Override
        public void onConnected(Runnable action) {
        }
    }
}
