package io.rbdstack.agent.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One attempt at writing a store file: a backup command run once on one host. Its id is when it began
 * (epoch milliseconds, 11 hex digits) and 8 random hex digits, so two attempts never share a partial
 * file, even on two hosts in the same millisecond, and an attempt can tell which partials began before it.
 * A backup begins its attempt when its command starts, before it connects to anything, so an attempt
 * the server sent again elsewhere (its host lost) always began after the one it replaces.
 */
public record WriteAttempt(Instant began, String id) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** An attempt beginning now. */
    public static WriteAttempt now() {
        return at(Instant.now());
    }

    /** An attempt that began at {@code began} (tests set the clock). */
    public static WriteAttempt at(Instant began) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return new WriteAttempt(began, String.format("%011x", began.toEpochMilli()) + "-"
                + HexFormat.of().formatHex(random));
    }

    /**
     * Whether a file last modified at {@code modified} was finished before this attempt began: then an earlier
     * attempt wrote it, whose answer the server never recorded (it sends a backup only for a snapshot that has
     * none), and this attempt may replace it. A later attempt begins only once the server has given this one up
     * (several heartbeats on), so its file is never that old.
     */
    public boolean beganAfter(Instant modified) {
        return modified.isBefore(began);
    }

    /** The name this attempt writes {@code finalName} under until it commits: {@code <final>.<id>.part}. */
    public String partialOf(String finalName) {
        return finalName + "." + id + PartialName.SUFFIX;
    }
}
