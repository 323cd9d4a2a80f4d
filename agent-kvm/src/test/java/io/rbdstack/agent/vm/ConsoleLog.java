package io.rbdstack.agent.vm;

import io.rbdstack.agent.fixtures.Deadline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** A guest's serial console log as libvirt writes it: the ITs wait in it for the test template's lines. */
final class ConsoleLog {

    private ConsoleLog() {
    }

    /** The first line from {@code offset} on that matches, waiting up to {@code limit} for it. */
    static String awaitLine(Path log, long offset, Predicate<String> wanted, Duration limit) {
        String[] found = new String[1];
        Deadline.await("the console log " + log + " shows the line wanted", limit, () -> {
            if (!Files.exists(log)) {
                return false;
            }
            byte[] bytes = Files.readAllBytes(log);
            String text = new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset),
                    StandardCharsets.UTF_8);
            Optional<String> line = text.lines().map(String::strip).filter(wanted).findFirst();
            line.ifPresent(l -> found[0] = l);
            return line.isPresent();
        });
        return found[0];
    }
}
