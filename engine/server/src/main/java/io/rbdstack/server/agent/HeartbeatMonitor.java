package io.rbdstack.server.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every half heartbeat interval: a host silent for 3 intervals is reported overdue (its
 * socket may still be fine, e.g. a paused agent), one silent for 6 is disconnected, since a
 * half-open TCP connection would otherwise never end.
 */
final class HeartbeatMonitor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatMonitor.class);

    private final ConnectedHosts hosts;
    private final Duration overdueAfter;
    private final Duration disconnectAfter;

    HeartbeatMonitor(ConnectedHosts hosts, ListenerConfig config) {
        this.hosts = hosts;
        this.overdueAfter = config.overdueAfter();
        this.disconnectAfter = config.disconnectAfter();
    }

    /** How often to run: often enough that a verdict comes at most half an interval late. */
    static Duration period(ListenerConfig config) {
        return config.heartbeatInterval().dividedBy(2);
    }

    @Override
    public void run() {
        try {
            for (AgentConnection connection : hosts.all()) {
                long silentNanos = connection.liveness().silentNanos();
                if (silentNanos >= disconnectAfter.toNanos()) {
                    connection.close("no message from the agent for " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
                            + " ms (limit " + disconnectAfter.toMillis() + " ms, 6 heartbeat intervals)");
                } else if (silentNanos >= overdueAfter.toNanos()) {
                    hosts.reportOverdueIfSilent(connection, overdueAfter);
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep monitoring.
            LOG.error("Heartbeat check failed", e);
        }
    }
}
