package io.rbdstack.agent.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One attempt at writing a backup file: a backup command run once on one host. Its id (when it began,
 * epoch milliseconds in 11 hex digits, for people reading the store, and 8 random hex digits) goes into
 * the name the attempt commits to ({@link #nameOf}), so two attempts at the same backup (a writer cut off
 * from the server and the retry sent elsewhere) never write, commit or replace the same file, and the
 * server records the name of the attempt whose answer it accepted. Nothing compares the time.
 */
public record WriteAttempt(String id) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** An attempt beginning now. */
    public static WriteAttempt now() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return new WriteAttempt(String.format("%011x", Instant.now().toEpochMilli()) + "-"
                + HexFormat.of().formatHex(random));
    }

    /**
     * The name this attempt writes for the file the server named {@code relative}, in the same directory:
     * {@code snapshots/2/7/<uuid>.rbddiff} becomes {@code snapshots/2/7/<uuid>.<id>.rbddiff}.
     */
    public String nameOf(String relative) {
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        return dot > slash + 1 ? relative.substring(0, dot) + "." + id + relative.substring(dot)
                : relative + "." + id;
    }
}
