package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.Progress;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's progress, sent to the management server as {@code progress} messages on the connection the
 * request came from: the first report, then at most one per {@link #INTERVAL}, and the one where done
 * reaches total, so a handler may report after every chunk it copies. A report that cannot be sent (the
 * connection is gone) is dropped: the answer will not arrive either.
 */
final class ThrottledProgress implements io.rbdstack.spi.agent.handler.ProgressReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ThrottledProgress.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final long requestId;
    private final MessageSender session;
    private long lastSentNanos;
    private boolean sentAny;
    private boolean sentLast;

    ThrottledProgress(long requestId, MessageSender session) {
        this.requestId = requestId;
        this.session = session;
    }

    @Override
    public synchronized void report(long done, long total) {
        long now = System.nanoTime();
        boolean last = done >= total;
        if (sentLast || (sentAny && !last && now - lastSentNanos < INTERVAL.toNanos())) {
            return;
        }
        try {
            session.send(new Progress(requestId, done, total));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Progress of request {} not sent: {}", requestId, e.getMessage());
            return;
        }
        sentAny = true;
        sentLast = last;
        lastSentNanos = now;
    }
}
