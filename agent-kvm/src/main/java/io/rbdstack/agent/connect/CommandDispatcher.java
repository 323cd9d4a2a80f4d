package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.StoppingAnswer;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each request on a worker pool, so a slow command blocks neither the reader nor the
 * heartbeat, and sends its answer on the connection the request came from. A request's answer is
 * never sent on a later connection: by then the server has already failed it. So when a connection
 * is lost ({@link #cancel}), its transfers still running are interrupted: a backup the server has
 * failed must not go on and finish its file on the store, nor race the retry the server may start on
 * another host. Its other commands (create or delete a volume, define a domain, change Kea's
 * configuration) are short, and interrupting one mid-way could leave half of it done: those already
 * running finish and their answers are dropped; those not started yet never start.
 *
 * <p>Transfers ({@link AgentCommand#transfer()}: backups, restores, flattens…) run on workers of their own, so
 * however many run, creates, deletes and control commands find the command workers free. How many transfers run
 * at once is the management server's to bound (per host, {@code concurrent.snapshots.threshold.perhost}); the
 * transfer workers only have a ceiling against a server that does not, and end when idle.
 *
 * <p>{@link #stop} is the agent's graceful stop (SIGTERM): the connection stays up while running short commands
 * finish and send their answers, transfers are interrupted at once and answered as stopped by the agent, and any
 * request that has not started is answered {@link StoppingAnswer} (never run), which the server sends on to
 * another host.
 */
final class CommandDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    /** The setting's upper bound: more transfers at once than the server may allow wait here. */
    static final int TRANSFER_WORKERS_CEILING = 64;
    /** How long a worker without a command lives on. */
    static final Duration IDLE_WORKER = Duration.ofSeconds(30);

    private final CommandHandler handler;
    private final ThreadPoolExecutor workers;
    /** The commands running for each connection. */
    private final Map<MessageSender, SessionCommands> running = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor transferWorkers;
    /** Counts the running transfers, and gives their memory back once none runs. */
    private final IdleTransferMemory idleMemory;
    /** The commands running on a worker now, whatever became of their connection or their FutureTask. */
    private final Set<Dispatched> active = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    /** Counted down by a second TERM/INT: the graceful stop waits no longer. */
    private final CountDownLatch hurry = new CountDownLatch(1);

    CommandDispatcher(CommandHandler handler, int threads) {
        this(handler, threads, IDLE_WORKER);
    }

    CommandDispatcher(CommandHandler handler, int threads, Duration idleWorker) {
        this.handler = handler;
        this.idleMemory = new IdleTransferMemory();
        // Both end when idle: an idle agent keeps no thread (its stack, the JVM's per-thread memory) for a burst
        // of commands that has passed.
        this.workers = new ThreadPoolExecutor(threads, threads, idleWorker.toNanos(), TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("agent-command"));
        workers.allowCoreThreadTimeOut(true);
        this.transferWorkers = new ThreadPoolExecutor(TRANSFER_WORKERS_CEILING, TRANSFER_WORKERS_CEILING,
                idleWorker.toNanos(), TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("agent-transfer"));
        transferWorkers.allowCoreThreadTimeOut(true);
    }

    /** Worker threads alive now, of both kinds (tests). */
    int liveWorkers() {
        return workers.getPoolSize() + transferWorkers.getPoolSize();
    }

    /** The transfer workers for a transfer, the command workers for anything else. */
    Executor workersFor(AgentCommand command) {
        return command.transfer() ? transferWorkers : workers;
    }

    /** The commands of one connection, and whether it was lost (their answers are then dropped). */
    private static final class SessionCommands {
        final Map<FutureTask<Void>, Dispatched> commands = new ConcurrentHashMap<>();
        volatile boolean lost;
    }

    /** Where a dispatched request is: queued, running, or refused by the stop before it started. */
    private enum Phase { QUEUED, RUNNING, REFUSED }

    /** One request on its way through the workers. */
    private static final class Dispatched {
        final Request request;
        final AtomicReference<Phase> phase = new AtomicReference<>(Phase.QUEUED);
        /** Set by whoever answers first: the command at its end, or the stop for it (then its own answer is dropped). */
        final AtomicBoolean answered = new AtomicBoolean();

        Dispatched(Request request) {
            this.request = request;
        }

        AgentCommand command() {
            return request.command();
        }

        String describe() {
            return request.command().getClass().getSimpleName() + " (request " + request.requestId() + ")";
        }
    }

    /**
     * Whether a command of a lost connection is interrupted: only a transfer, which stops cleanly at
     * its next step (nothing committed on the store) and is retried by the server, on another host
     * when there is one. Anything else runs to its end, so that it is never left half done.
     */
    static boolean interruptedOnLostConnection(AgentCommand command) {
        return command.transfer();
    }

    void dispatch(Request request, MessageSender session) {
        if (stopping) {
            refuse(request, session);
            return;
        }
        SessionCommands ofSession = running.computeIfAbsent(session, s -> new SessionCommands());
        Dispatched dispatched = new Dispatched(request);
        FutureTask<Void> task = new FutureTask<>(() -> answer(dispatched, session, ofSession), null) {
            @Override
            protected void done() {
                ofSession.commands.remove(this);
            }
        };
        ofSession.commands.put(task, dispatched);
        try {
            workersFor(request.command()).execute(task);
        } catch (RejectedExecutionException e) {
            ofSession.commands.remove(task);
            if (stopping) { // the stop began between the check above and here
                refuse(request, session);
            } else {
                LOG.debug("Request {} not run: the client is closing", request.requestId());
            }
        }
    }

    /** Answers a request that will not run: the agent is stopping, so the server may send it elsewhere. */
    private static void refuse(Request request, MessageSender session) {
        String type = request.command().getClass().getSimpleName();
        LOG.info("Request {} ({}) refused: the agent is stopping", request.requestId(), type);
        send(request, session, StoppingAnswer.of("the agent is stopping and did not run " + type));
    }

    /** From now on every new request is answered {@code stopping} unrun (the first step of {@link #stop}). */
    void refuseNew() {
        stopping = true;
    }

    /**
     * The graceful stop: takes no new command (each is answered {@link StoppingAnswer}, never run), answers the
     * same for those still queued, interrupts the transfers at once (each is answered as stopped by the agent),
     * and waits up to {@code grace} (less after {@link #hurry}) for the other running commands to finish and send
     * their answers. What still runs then is interrupted and named in a WARN line. The connections stay up
     * throughout: closing them is the caller's next step.
     *
     * @return the commands interrupted because they outlasted the grace (empty when all finished)
     */
    List<String> stop(Duration grace) {
        refuseNew();
        long deadline = System.nanoTime() + grace.toNanos();
        int transfers = 0;
        for (Map.Entry<MessageSender, SessionCommands> ofSession : running.entrySet()) {
            for (Map.Entry<FutureTask<Void>, Dispatched> command : ofSession.getValue().commands.entrySet()) {
                Dispatched dispatched = command.getValue();
                if (dispatched.phase.compareAndSet(Phase.QUEUED, Phase.REFUSED)) {
                    command.getKey().cancel(false);
                    refuse(dispatched.request, ofSession.getKey());
                } else if (dispatched.command().transfer() && dispatched.answered.compareAndSet(false, true)) {
                    // Answered now, not when the transfer has wound down: its in-flight reads and writes may take
                    // seconds to drain, and the job should not wait for them (as on a lost connection). Claimed
                    // before the interrupt, so the transfer's own answer to it is the one dropped.
                    command.getKey().cancel(true);
                    transfers++;
                    send(dispatched.request, ofSession.getKey(), stoppedWhileRunning(dispatched));
                }
            }
        }
        workers.shutdown();
        transferWorkers.shutdown();
        LOG.info("Stopping: {} transfer(s) interrupted; waiting up to {} s for the other running commands",
                transfers, grace.toSeconds());
        try {
            while (!(workers.isTerminated() && transferWorkers.isTerminated())) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || hurry.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> outlasted = new ArrayList<>();
        for (Dispatched dispatched : active) {
            // Unanswered (a transfer was answered already): the connection closes next, and the server resends
            // what is safe to run twice to another host.
            dispatched.answered.set(true);
            outlasted.add(dispatched.describe());
        }
        if (!outlasted.isEmpty()) {
            LOG.warn("Stopping: interrupting {} command(s) still running after the {} grace: {}",
                    outlasted.size(), hurry.getCount() == 0 ? "shortened (second signal)" : grace.toSeconds() + " s",
                    String.join(", ", outlasted));
        }
        workers.shutdownNow(); // interrupts every worker still running a command
        transferWorkers.shutdownNow();
        return outlasted;
    }

    private static GenericAnswer stoppedWhileRunning(Dispatched dispatched) {
        return GenericAnswer.failure("the agent stopped (TERM/INT) while running " + dispatched.command().getClass()
                .getSimpleName() + ", which was interrupted before it completed; run it again once the agent is back");
    }

    /** A second TERM/INT: the graceful stop waits no longer for running commands. */
    void hurry() {
        hurry.countDown();
    }

    /**
     * The connection {@code session} has ended: the server has failed its commands, and their answers
     * could go nowhere. Its transfers are interrupted (they stop at their next interruptible step);
     * its other commands not started yet never start, those running finish, their answers dropped.
     */
    void cancel(MessageSender session) {
        SessionCommands ofSession = running.remove(session);
        if (ofSession == null) {
            return;
        }
        ofSession.lost = true;
        int interrupted = 0;
        int finishing = 0;
        for (Map.Entry<FutureTask<Void>, Dispatched> command : ofSession.commands.entrySet()) {
            boolean interrupt = interruptedOnLostConnection(command.getValue().command());
            // cancel(false) keeps a running command running (its answer is dropped) and a queued one from starting.
            if (command.getKey().cancel(interrupt)) {
                if (interrupt) {
                    interrupted++;
                } else {
                    finishing++;
                }
            }
        }
        if (interrupted + finishing > 0) {
            LOG.warn("Lost the connection to the management server: interrupting {} transfer(s); {} other command(s)"
                    + " finish if running, their answers dropped", interrupted, finishing);
        }
    }

    /** The handler's answer; an exception (or no answer) becomes a failed {@link GenericAnswer}. */
    Answer run(AgentCommand command) {
        return run(command, ProgressReporter.NONE);
    }

    private Answer run(AgentCommand command, ProgressReporter progress) {
        String type = command.getClass().getSimpleName();
        try {
            Answer answer = handler.handle(command, progress);
            return answer != null ? answer : GenericAnswer.failure(type + " produced no answer");
        } catch (Exception e) {
            // Handlers answer the failures they expect with texts of their own; what reaches here is
            // unexpected, so its details stay in this log, found again by the incident id.
            String incident = String.format("%08x", java.util.concurrent.ThreadLocalRandom.current().nextInt());
            LOG.warn("{} failed (incident {})", type, incident, e);
            return GenericAnswer.failure("the agent failed to run " + type + " (incident " + incident
                    + "); see the agent log");
        }
    }

    @Override
    public void close() {
        idleMemory.close();
        workers.shutdownNow();
        transferWorkers.shutdownNow();
    }

    private void answer(Dispatched dispatched, MessageSender session, SessionCommands ofSession) {
        if (stopping && dispatched.phase.compareAndSet(Phase.QUEUED, Phase.REFUSED)) {
            refuse(dispatched.request, session); // queued when the stop began: it never starts
            return;
        }
        if (!dispatched.phase.compareAndSet(Phase.QUEUED, Phase.RUNNING)) {
            return; // refused by the stop before it started, and answered so
        }
        Request request = dispatched.request;
        boolean transfer = request.command().transfer();
        if (transfer) {
            // The one place the agent says how many transfers it runs: operators and tests read the bound here.
            int count = idleMemory.transferStarted();
            LOG.info("Transfer {} (request {}) started; {} transfer(s) running", request.command().getClass()
                    .getSimpleName(), request.requestId(), count);
        }
        Answer answer;
        active.add(dispatched);
        try {
            answer = run(request.command(), new ThrottledProgress(request.requestId(), session));
        } finally {
            active.remove(dispatched);
            if (transfer) {
                idleMemory.transferEnded();
            }
        }
        if (!dispatched.answered.compareAndSet(false, true)) {
            LOG.info("{} (request {}) interrupted by the agent's stop ended: {}", request.command().getClass()
                    .getSimpleName(), request.requestId(), answer.success() ? "done" : answer.details());
            return; // the stop answered it, or leaves it to the connection's end
        }
        if (ofSession.lost) {
            LOG.info("Answer to request {} ({}) dropped: its connection to the management server was lost while it"
                    + " ran", request.requestId(), request.command().getClass().getSimpleName());
            return;
        }
        try {
            send(request, session, answer);
        } catch (IllegalArgumentException e) {
            // Over the size limit, or of a type no module registered: the server still gets a verdict.
            LOG.warn("Cannot send the answer to request {}: {}", request.requestId(), e.getMessage());
            send(request, session, GenericAnswer.failure("the agent cannot send its answer: " + e.getMessage()));
        }
    }

    private static void send(Request request, MessageSender session, Answer answer) {
        try {
            session.send(new Response(request.requestId(), answer));
        } catch (IOException e) {
            LOG.info("Answer to request {} ({}) dropped: {}", request.requestId(),
                    request.command().getClass().getSimpleName(), e.getMessage());
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
