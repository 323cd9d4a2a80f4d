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

    /** The name this attempt writes {@code finalName} under until it commits: {@code <final>.<id>.part}. */
    public String partialOf(String finalName) {
        return finalName + "." + id + PartialName.SUFFIX;
    }
}
