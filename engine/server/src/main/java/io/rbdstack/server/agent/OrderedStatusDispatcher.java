package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.Hello;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands status events to the real listener on one thread of its own, in the order they were
 * queued. Socket threads only queue, so a listener writing to the database never delays a pong,
 * and an exception from it is logged instead of killing a connection.
 */
final class OrderedStatusDispatcher implements HostStatusListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedStatusDispatcher.class);

    private final HostStatusListener target;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            new NamedThreadFactory("agent-status"));

    OrderedStatusDispatcher(HostStatusListener target) {
        this.target = target;
    }

    @Override
    public void connected(String hostId, Hello hello) {
        dispatch("connected", hostId, () -> target.connected(hostId, hello));
    }

    @Override
    public void heartbeat(String hostId) {
        dispatch("heartbeat", hostId, () -> target.heartbeat(hostId));
    }

    @Override
    public void heartbeatOverdue(String hostId) {
        dispatch("heartbeatOverdue", hostId, () -> target.heartbeatOverdue(hostId));
    }

    @Override
    public void disconnected(String hostId, String reason) {
        dispatch("disconnected", hostId, () -> target.disconnected(hostId, reason));
    }

    /** Delivers what is queued (for at most the grace period), then stops. */
    void close(Duration grace) {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Host status listener still busy after {} ms; dropping its queued events", grace.toMillis());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void dispatch(String event, String hostId, Runnable call) {
        try {
            thread.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOG.error("Host status listener failed on {} for host {}", event, hostId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Dropped {} for host {}: the agent listener is closed", event, hostId);
        }
    }
}
