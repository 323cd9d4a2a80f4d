package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code threshold} transfers ({@link AgentCommand#transfer()}) run at once on each host; the rest wait
 * here, first come first served, and each starts when one of its host's running transfers ends. Other commands
 * pass straight through, so they never wait behind transfers (the agent runs transfers on workers of their own).
 *
 * <p>Enforced here, in the management server, rather than in the agent: every command to a host goes through the
 * one server its agent is connected to, so the bound is exact; the job that waits is on this server, so its
 * {@code queryAsyncJobResult} shows the wait ({@link RequestProgress#queued}); a waiting transfer has not been sent
 * yet, so its agent timeout only starts when it runs; and the threshold (a global setting) is read at each
 * transfer and each end of one, so a change applies at once without telling the agents.
 */
public final class HostTransferQueues implements AgentConnections {

    private static final Logger LOG = LoggerFactory.getLogger(HostTransferQueues.class);

    /** One transfer; its own lock orders its "queued" and "started" reports, which come from different threads. */
    private static final class Transfer {
        final AgentCommand command;
        final Duration timeout;
        final RequestProgress progress;
        final CompletableFuture<Answer> result = new CompletableFuture<>();
        private boolean waited;
        private boolean started;

        Transfer(AgentCommand command, Duration timeout, RequestProgress progress) {
            this.command = command;
            this.timeout = timeout;
            this.progress = progress;
        }

        synchronized void reportQueued(int ahead) {
            if (!started) {
                waited = true;
                progress.queued(ahead);
            }
        }

        /** @return whether it waited (and was told so) before */
        synchronized boolean markStarted() {
            started = true;
            return waited;
        }
    }

    /** One host's transfers: how many run, and those waiting in order. */
    private static final class HostQueue {
        int running;
        final Deque<Transfer> waiting = new ArrayDeque<>();
    }

    private final AgentConnections connections;
    private final IntSupplier threshold;
    private final Map<String, HostQueue> byHost = new HashMap<>();

    /** @param threshold transfers one host may run at once; read at each transfer and each end of one */
    public HostTransferQueues(AgentConnections connections, IntSupplier threshold) {
        this.connections = connections;
        this.threshold = threshold;
    }

    @Override
    public CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout,
                                          RequestProgress progress) {
        if (!command.transfer()) {
            return connections.send(hostId, command, timeout, progress);
        }
        Transfer transfer = new Transfer(command, timeout, progress);
        // A caller who gives up on a waiting transfer takes it out of the queue.
        transfer.result.whenComplete((answer, error) -> {
            if (transfer.result.isCancelled()) {
                withdraw(hostId, transfer);
            }
        });
        synchronized (this) {
            byHost.computeIfAbsent(hostId, h -> new HostQueue()).waiting.addLast(transfer);
        }
        advance(hostId, null, transfer);
        return transfer.result;
    }

    /** Transfers running on the host now (sent and not answered). */
    public synchronized int running(String hostId) {
        HostQueue queue = byHost.get(hostId);
        return queue == null ? 0 : queue.running;
    }

    /** Transfers waiting for a worker of the host. */
    public synchronized int waiting(String hostId) {
        HostQueue queue = byHost.get(hostId);
        return queue == null ? 0 : queue.waiting.size();
    }

    @Override
    public boolean isConnected(String hostId) {
        return connections.isConnected(hostId);
    }

    @Override
    public boolean isStopping(String hostId) {
        return connections.isStopping(hostId);
    }

    @Override
    public void disconnect(String hostId, String reason) {
        connections.disconnect(hostId, reason);
    }

    /**
     * Commands sent and not answered, and this host's transfers still waiting here: a host with a queue is busy (for
     * the choice of a host, and for maintenance, which waits for 0). A transfer between its start here and its send
     * counts through {@link #running}.
     */
    @Override
    public int inFlight(String hostId) {
        int sent = connections.inFlight(hostId);
        synchronized (this) {
            HostQueue queue = byHost.get(hostId);
            return queue == null ? sent : Math.max(sent, queue.running) + queue.waiting.size();
        }
    }

    /**
     * Starts the host's waiting transfers while it has free workers, then tells those still waiting where they
     * are. {@code ended}: a transfer that just ended, whose worker is free again (then every waiting one moved
     * up); {@code arrived}: one that just joined the queue (then only its own place is news).
     */
    private void advance(String hostId, Transfer ended, Transfer arrived) {
        List<Transfer> starting = new ArrayList<>();
        List<Transfer> stillWaiting;
        synchronized (this) {
            HostQueue queue = byHost.get(hostId);
            if (queue == null) {
                return; // the arrived transfer was already started, answered and its queue ended by another thread
            }
            if (ended != null) {
                queue.running--;
            }
            int limit = Math.max(1, threshold.getAsInt());
            while (queue.running < limit && !queue.waiting.isEmpty()) {
                starting.add(queue.waiting.pollFirst());
                queue.running++;
            }
            stillWaiting = List.copyOf(queue.waiting);
            if (queue.running == 0 && queue.waiting.isEmpty()) {
                byHost.remove(hostId);
            }
        }
        for (Transfer transfer : starting) {
            start(hostId, transfer);
        }
        // Reported outside the queue's lock (a listener may write the job's row); only who moved is told.
        for (int ahead = 0; ahead < stillWaiting.size(); ahead++) {
            Transfer transfer = stillWaiting.get(ahead);
            if (ended != null || transfer == arrived) {
                report(transfer, ahead, hostId);
            }
        }
    }

    private void start(String hostId, Transfer transfer) {
        if (transfer.result.isDone()) {
            advance(hostId, transfer, null); // given up on between leaving the queue and now: never sent
            return;
        }
        if (transfer.markStarted()) {
            try {
                transfer.progress.started();
            } catch (RuntimeException e) {
                LOG.warn("Start of a queued {} on host {} not recorded: {}", name(transfer), hostId, e.getMessage(), e);
            }
        }
        CompletableFuture<Answer> sent;
        try {
            sent = connections.send(hostId, transfer.command, transfer.timeout, transfer.progress);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Answer> answer = sent;
        transfer.result.whenComplete((a, e) -> {
            if (transfer.result.isCancelled()) {
                answer.cancel(false); // the request's own entry and timer go with it
            }
        });
        answer.whenComplete((a, e) -> {
            try {
                if (e != null) {
                    transfer.result.completeExceptionally(e);
                } else {
                    transfer.result.complete(a);
                }
            } finally {
                advance(hostId, transfer, null);
            }
        });
    }

    private void report(Transfer transfer, int ahead, String hostId) {
        try {
            transfer.reportQueued(ahead);
        } catch (RuntimeException e) {
            LOG.warn("Wait of a queued {} on host {} not recorded: {}", name(transfer), hostId, e.getMessage(), e);
        }
    }

    private synchronized void withdraw(String hostId, Transfer transfer) {
        HostQueue queue = byHost.get(hostId);
        if (queue != null && queue.waiting.remove(transfer) && queue.running == 0 && queue.waiting.isEmpty()) {
            byHost.remove(hostId);
        }
    }

    private static String name(Transfer transfer) {
        return transfer.command.getClass().getSimpleName();
    }
}
