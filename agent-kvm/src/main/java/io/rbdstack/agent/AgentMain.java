package io.rbdstack.agent;

import io.rbdstack.agent.ceph.GlibcMalloc;
import io.rbdstack.agent.ceph.TransferBuffers;
import io.rbdstack.agent.store.s3.PartBuffers;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code rbdstack-agent [--config FILE]}: runs the KVM agent until SIGTERM or SIGINT, then stops gracefully
 * ({@link Agent#stop}: running commands get {@code shutdown.grace.seconds} to finish; a second signal stops at
 * once). The config file (default {@code /etc/rbdstack/agent.properties}) is described by {@link AgentProperties}.
 */
public final class AgentMain {

    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (!(args.length == 0 || args.length == 2 && args[0].equals("--config"))) {
            System.err.println("usage: rbdstack-agent [--config FILE]");
            System.exit(2);
        }
        Path file = Path.of(args.length == 2 ? args[1] : "/etc/rbdstack/agent.properties");
        AgentProperties properties;
        try {
            properties = AgentProperties.load(file);
        } catch (AgentConfigException e) {
            System.err.println("rbdstack-agent: " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            // Read once here, so that a bad -Drbdstack.transfer.buffers or -Drbdstack.s3.part.buffers stops the
            // start, not the first backup.
            LOG.info("Transfer budget: {} buffers of {} bytes; S3 part buffers: {} of {} bytes",
                    TransferBuffers.AGENT.count(), TransferBuffers.AGENT.bufferBytes(), PartBuffers.AGENT.count(),
                    PartBuffers.AGENT.bufferBytes());
        } catch (ExceptionInInitializerError e) {
            System.err.println("rbdstack-agent: " + e.getCause().getMessage());
            System.exit(1);
            return;
        }
        if (!GlibcMalloc.mapBlocksOf(GlibcMalloc.LARGE_BLOCK)) {
            LOG.warn("Cannot set malloc's mmap threshold here (not glibc?): transfers may leave the agent's memory "
                    + "larger than it needs");
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        AtomicReference<Agent> started = new AtomicReference<>();
        // TERM/INT handled here rather than in a shutdown hook: hooks run in no order, and the agent
        // must close the client before libvirt and librados go away under its commands.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (signals.incrementAndGet() == 1) {
                    stop.countDown();
                } else if (signals.get() == 2) {
                    LOG.warn("SIG{} again: stopping at once", name);
                    Agent agent = started.get();
                    if (agent != null) {
                        agent.hurry();
                    }
                    haltAfter(HALT_AFTER_SECOND_SIGNAL);
                }
            });
        }
        Agent agent;
        try {
            agent = Agent.start(properties);
        } catch (RuntimeException e) {
            LOG.error("Start-up failed: {}", e.getMessage(), e);
            System.err.println("rbdstack-agent: start-up failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        started.set(agent);
        stop.await(); // the agent's threads are daemons: this keeps the JVM alive
        LOG.info("Stopping: running commands may finish for up to {} s (shutdown.grace.seconds); a second TERM/INT"
                + " stops at once", properties.shutdownGrace().toSeconds());
        if (signals.get() > 1) {
            agent.hurry(); // the second signal came before the agent was recorded
        }
        agent.stop(properties.shutdownGrace());
        System.exit(0);
    }

    /**
     * After a second signal the grace ends at once, but closing the connection, librados and libvirt can still
     * wait (a server or cluster that does not answer): the process ends within this bound whatever they do.
     */
    static final long HALT_AFTER_SECOND_SIGNAL = 5;

    private static void haltAfter(long seconds) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            LOG.warn("Still closing {} s after the second signal: halting", seconds);
            Runtime.getRuntime().halt(1);
        }, "halt-after-second-signal");
        halt.setDaemon(true);
        halt.start();
    }
}
