package io.rbdstack.server.api;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;

/**
 * A genuine internal fault, answered with 530: the caller gets a short summary and a random id, the
 * management server's ERROR log line gets the same id with the details (SQL, exception, stack
 * trace) that must never reach an errortext, so an admin can find one from the other.
 */
public record Incident(String id) {

    /** A fresh id: 8 hex digits, enough to tell apart the incidents of one log. */
    public static Incident open() {
        return new Incident(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    }

    /**
     * Logs the fault at ERROR under a fresh id and returns the 530 to answer with.
     *
     * @param where   what failed, for the log only ("API command createAccount", "Job … (createVolume)")
     * @param summary what the caller is told; never built from an exception's message
     * @param cause   the fault, logged with its stack trace; may be null
     */
    public static ApiException report(Logger log, String where, String summary, Throwable cause) {
        Incident incident = open();
        log.error("Incident {}: {} failed: {}", incident.id(), where, summary, cause);
        return incident.error(summary, cause);
    }

    /** The 530 whose errortext is {@code summary} with this incident's id. */
    public ApiException error(String summary, Throwable cause) {
        return ApiException.internal(summary + " (incident " + id + "); see the management server log", cause);
    }
}
