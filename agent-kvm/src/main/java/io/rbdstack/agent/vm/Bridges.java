package io.rbdstack.agent.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes guest bridges exist on this host ({@link BridgePlan}), running {@code ip link} through
 * ProcessBuilder. One bridge change at a time, so two VMs starting on a new bridge do not race.
 */
public final class Bridges {

    private static final Logger LOG = LoggerFactory.getLogger(Bridges.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final Links links;

    public Bridges(Links links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    /** Idempotent; an existing bridge is used as it is. */
    public synchronized void ensure(String bridge, Integer vlan, String uplink) throws InterruptedException {
        List<List<String>> commands = BridgePlan.plan(bridge, vlan, uplink, links);
        for (List<String> command : commands) {
            run(command);
        }
        if (!commands.isEmpty()) {
            LOG.info("Bridge {} set up{}", bridge, vlan == null ? "" : " with VLAN " + vlan + " on " + uplink);
        }
    }

    private static void run(List<String> command) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new VmException("cannot run " + String.join(" ", command) + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new VmException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new VmException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new VmException("cannot read the output of " + String.join(" ", command) + ": " + e.getMessage());
        }
    }
}
