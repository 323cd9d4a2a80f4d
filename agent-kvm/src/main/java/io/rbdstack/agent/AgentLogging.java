package io.rbdstack.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.OnConsoleStatusListener;
import ch.qos.logback.core.util.StatusListenerConfigHelper;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The agent's logging, set up in code (logback finds it as a service before its own configurators): INFO and above,
 * to the console only, where scripts/agent.sh or the service manager sends it. Logback's XML configuration would load
 * an XML parser and about 250 classes of its own into every agent for these few lines. An operator who names a
 * configuration file ({@code -Dlogback.configurationFile}), or puts a {@code logback.xml} on the class path, gets it
 * instead. {@code -Dlogback.debug=true} prints logback's own status, as with a file.
 */
public final class AgentLogging extends ContextAwareBase implements Configurator {

    /** UTC timestamps with their zone, the level, the thread and the logger, as the management server logs. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{36} - %msg%n";

    private final Predicate<String> hasResource;
    private final UnaryOperator<String> systemProperty;

    /** Logback's: the class path and system properties of the agent. */
    public AgentLogging() {
        this(name -> AgentLogging.class.getClassLoader().getResource(name) != null, System::getProperty);
    }

    AgentLogging(Predicate<String> hasResource, UnaryOperator<String> systemProperty) {
        this.hasResource = hasResource;
        this.systemProperty = systemProperty;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (systemProperty.apply("logback.configurationFile") != null || hasResource.test("logback-test.xml")
                || hasResource.test("logback.xml")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        if (Boolean.parseBoolean(systemProperty.apply("logback.debug"))) {
            // What logback's XML configuration does for -Dlogback.debug=true: its own status on the console.
            StatusListenerConfigHelper.addOnConsoleListenerInstance(context, new OnConsoleStatusListener());
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
