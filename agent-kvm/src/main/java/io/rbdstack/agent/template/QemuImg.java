package io.rbdstack.agent.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * qemu-img for templates: what a qcow2 file holds, and its conversion to raw straight into an RBD image.
 * The Ceph key goes to qemu-img in the ceph.conf/keyring files named by {@code conf=}; the command line
 * carries only the pool, image, user and that file's path.
 */
public final class QemuImg {

    /** A qcow2 file as qemu-img info sees it. */
    public record Info(long virtualSizeBytes, String backingFile, boolean externalDataFile) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String executable;
    private final Duration timeout;

    public QemuImg(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    public Info info(Path file, String format) throws IOException {
        String out = run(List.of(executable, "info", "--output=json", "-f", format, file.toString()));
        JsonNode info = JSON.readTree(out);
        JsonNode data = info.path("format-specific").path("data");
        return new Info(info.path("virtual-size").asLong(), info.path("backing-filename").isMissingNode() ? null
                : info.path("backing-filename").asText(), data.has("data-file"));
    }

    /**
     * The command converting {@code source} into the existing RBD image: {@code -n} (the image was made
     * with the right features) and {@code --target-is-zero} (a new image reads as zeros, so zeros are skipped).
     */
    public List<String> convertCommand(Path source, String format, String cephPool, String image, String cephUser,
                                       Path cephConf) {
        for (String part : new String[] {cephPool, image, cephUser, cephConf.toString()}) {
            if (part.contains(":") || part.contains("@") || part.contains("\\")) {
                throw new IllegalArgumentException("'" + part + "' cannot be written in an rbd: file name");
            }
        }
        return List.of(executable, "convert", "-n", "--target-is-zero", "-f", format, "-O", "raw", source.toString(),
                "rbd:" + cephPool + "/" + image + ":id=" + cephUser + ":conf=" + cephConf);
    }

    public void run(List<String> command, String what) throws IOException {
        try {
            run(command);
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
    }

    private String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output;
        try {
            output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("qemu-img took longer than " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while qemu-img ran", e);
        }
        String text = new String(output, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException("qemu-img failed (exit " + process.exitValue() + "): " + text);
        }
        return text;
    }
}
