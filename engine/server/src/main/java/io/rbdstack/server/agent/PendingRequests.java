package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The requests of one connection that await an answer. Each ends exactly once: answered, timed
 * out, or failed with the connection. Futures are completed on the {@code completions} executor,
 * never on the socket's reader thread, so a caller's dependent stage can not stall the connection
 * (or deadlock by waiting for another answer on it).
 */
final class PendingRequests {

    record Registration(long requestId, CompletableFuture<Answer> future) {
    }

    private record InFlight(String commandType, CompletableFuture<Answer> future, RequestProgress progress) {
    }

    private final ScheduledExecutorService timers;
    private final Executor completions;
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private long nextRequestId = 1;
    private boolean closed;

    PendingRequests(ScheduledExecutorService timers, Executor completions) {
        this.timers = timers;
        this.completions = completions;
    }

    /**
     * Registers a request and starts its timeout.
     *
     * @return the id to send and the caller's future, or null once {@link #failAll} has run
     */
    Registration register(String commandType, Duration timeout, Supplier<? extends Throwable> timeoutError) {
        return register(commandType, timeout, timeoutError, RequestProgress.IGNORED);
    }

    /** {@link #register(String, Duration, Supplier)} with a listener for the request's progress reports. */
    Registration register(String commandType, Duration timeout, Supplier<? extends Throwable> timeoutError,
                          RequestProgress progress) {
        CompletableFuture<Answer> future = new CompletableFuture<>();
        long requestId;
        synchronized (this) {
            if (closed) {
                return null;
            }
            requestId = nextRequestId++;
            inFlight.put(requestId, new InFlight(commandType, future, progress));
        }
        try {
            ScheduledFuture<?> timer = timers.schedule(
                    () -> fail(requestId, timeoutError.get()), timeout.toNanos(), TimeUnit.NANOSECONDS);
            // Also covers a caller who cancels the future: the entry and its timer go away.
            future.whenComplete((answer, error) -> {
                timer.cancel(false);
                forget(requestId, future);
            });
        } catch (RejectedExecutionException e) {
            take(requestId);
            future.completeExceptionally(new AgentUnavailableException("the agent listener is closed"));
        }
        return new Registration(requestId, future);
    }

    /** @return false if the request is unknown (already timed out, or never sent) */
    boolean complete(long requestId, Answer answer) {
        InFlight request = take(requestId);
        if (request == null) {
            return false;
        }
        deliver(() -> request.future().complete(answer));
        return true;
    }

    /** Hands a progress report to the request's listener; false if the request is unknown (answered, timed out). */
    boolean progress(long requestId, long done, long total) {
        InFlight request;
        synchronized (this) {
            request = inFlight.get(requestId);
        }
        if (request == null) {
            return false;
        }
        deliver(() -> {
            try {
                request.progress().progress(done, total);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(PendingRequests.class).warn("Progress of request {} ({}) not"
                        + " recorded: {}", requestId, request.commandType(), e.getMessage(), e);
            }
        });
        return true;
    }

    /** @return false if the request is unknown */
    boolean fail(long requestId, Throwable error) {
        InFlight request = take(requestId);
        if (request == null) {
            return false;
        }
        deliver(() -> request.future().completeExceptionally(error));
        return true;
    }

    /** Fails every request (error by command type) and refuses new ones. */
    void failAll(Function<String, ? extends Throwable> errorForCommandType) {
        List<InFlight> failed;
        synchronized (this) {
            closed = true;
            failed = new ArrayList<>(inFlight.values());
            inFlight.clear();
        }
        for (InFlight request : failed) {
            Throwable error = errorForCommandType.apply(request.commandType());
            deliver(() -> request.future().completeExceptionally(error));
        }
    }

    synchronized int size() {
        return inFlight.size();
    }

    private synchronized InFlight take(long requestId) {
        return inFlight.remove(requestId);
    }

    private synchronized void forget(long requestId, CompletableFuture<Answer> future) {
        InFlight request = inFlight.get(requestId);
        if (request != null && request.future() == future) {
            inFlight.remove(requestId);
        }
    }

    private void deliver(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // the listener is shutting down: better on this thread than never
        }
    }
}
