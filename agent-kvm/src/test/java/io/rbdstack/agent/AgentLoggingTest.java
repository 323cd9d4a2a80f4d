package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.OnConsoleStatusListener;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The agent's logging set up in code, unless the operator names a configuration of their own. */
class AgentLoggingTest {

    @Test
    void withoutAConfigurationFileTheAgentLogsInfoToTheConsoleInTheServersFormat() {
        LoggerContext context = new LoggerContext();
        AgentLogging logging = new AgentLogging(name -> false, name -> null);
        logging.setContext(context);
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("CONSOLE");
        assertTrue(console.isStarted());
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.rbdstack.agent.Agent"), Level.INFO,
                "started", null, null);
        event.setThreadName("main");
        event.setTimeStamp(0);
        assertEquals("1970-01-01T00:00:00.000Z INFO  [main] io.rbdstack.agent.Agent - started\n",
                new String(encoder.encode(event), StandardCharsets.UTF_8));
        context.stop();
    }

    @Test
    void logbackFindsItAsAConfiguratorService() {
        assertTrue(ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == AgentLogging.class),
                "META-INF/services/ch.qos.logback.classic.spi.Configurator names it");
    }

    @Test
    void logbackDebugPrintsLogbacksOwnStatus() {
        LoggerContext context = new LoggerContext();
        AgentLogging logging = new AgentLogging(name -> false, name -> name.equals("logback.debug") ? "true" : null);
        logging.setContext(context);
        logging.configure(context);
        assertTrue(context.getStatusManager().getCopyOfStatusListenerList().stream()
                .anyMatch(listener -> listener instanceof OnConsoleStatusListener));
        context.stop();
    }

    @Test
    void anOperatorsConfigurationFileOrALogbackXmlTakesOver() {
        Map<String, AgentLogging> named = Map.of(
                "-Dlogback.configurationFile", new AgentLogging(name -> false,
                        name -> name.equals("logback.configurationFile") ? "/etc/rbdstack/logback.xml" : null),
                "logback.xml", new AgentLogging(name -> name.equals("logback.xml"), name -> null),
                "logback-test.xml", new AgentLogging(name -> name.equals("logback-test.xml"), name -> null));
        named.forEach((what, logging) -> {
            LoggerContext context = new LoggerContext();
            logging.setContext(context);
            assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(context), what);
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertNull(root.getAppender("CONSOLE"), what + ": nothing set up");
            assertFalse(root.iteratorForAppenders().hasNext(), what);
        });
    }
}
