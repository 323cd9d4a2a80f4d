package io.rbdstack.agent.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Commands the VM ITs run on the host (ip, kill), without a shell, each given 20 s. */
final class HostCommands {

    private HostCommands() {
    }

    /** The command's exit status; its output is read and dropped. */
    static int run(String... command) throws IOException, InterruptedException {
        Process process = start(command);
        process.getInputStream().readAllBytes();
        return finish(process, command);
    }

    /** The command's output (stdout and stderr). */
    static String output(String... command) throws IOException, InterruptedException {
        Process process = start(command);
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        finish(process, command);
        return text;
    }

    /** Sets a system property back to what it was ({@code null}: not set). */
    static void restoreProperty(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return process;
    }

    private static int finish(Process process, String... command) throws IOException, InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return process.exitValue();
    }
}
