package io.rbdstack.agent.dhcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived tool (no shell) and fails with its output when it exits non-zero or hangs. */
final class ToolRun {

    private static final int TIMEOUT_SECONDS = 30;

    private ToolRun() {
    }

    /** Runs the tool and returns its output (stdout and stderr). */
    static String run(List<String> command) throws InterruptedException {
        String line = String.join(" ", command);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DhcpException(line + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new DhcpException(line + " failed (exit " + process.exitValue() + "): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new DhcpException("cannot run " + line + ": " + e.getMessage(), e);
        }
    }
}
