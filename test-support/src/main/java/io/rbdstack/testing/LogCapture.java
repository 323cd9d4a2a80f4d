package io.rbdstack.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event (io.rbdstack at TRACE, the rest at their levels) while open. */
public final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("io.rbdstack");
    private final Level previousLevel = ours.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
        ours.setLevel(Level.TRACE);
    }

    /** Each event's formatted message, its arguments and its exception chain's messages. */
    public List<String> lines() {
        return lines(Level.ALL);
    }

    /** {@link #lines()} of the events logged at ERROR. */
    public List<String> errors() {
        return lines(Level.ERROR);
    }

    private List<String> lines(Level atLeast) {
        List<String> lines = new ArrayList<>();
        synchronized (appender) {
            for (ILoggingEvent event : new ArrayList<>(appender.list)) {
                if (!event.getLevel().isGreaterOrEqual(atLeast)) {
                    continue;
                }
                StringBuilder line = new StringBuilder(event.getLoggerName()).append(": ")
                        .append(event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        ours.setLevel(previousLevel);
        appender.stop();
    }
}
