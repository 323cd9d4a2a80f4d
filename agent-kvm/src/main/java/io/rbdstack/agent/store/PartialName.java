package io.rbdstack.agent.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A partial file's name read back: the final name it was written for and when its attempt began
 * ({@link WriteAttempt#partialOf}); {@code began} is null for {@code <final>.part}, the name agents
 * before per-attempt partials used.
 */
public record PartialName(String finalName, Instant began) {

    static final String SUFFIX = ".part";
    /**
     * How long after its attempt began a partial counts as abandoned, whatever file it is for:
     * {@code -Drbdstack.store.partial.abandon.hours}, 12 by default (far beyond any backup's run).
     */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(Long.getLong("rbdstack.store.partial.abandon.hours",
            12));
    private static final Pattern ATTEMPT = Pattern.compile("(.+)\\.([0-9a-f]{11})-[0-9a-f]{8}\\.part");

    /** The partial {@code fileName} names, empty when it is no partial. */
    public static Optional<PartialName> parse(String fileName) {
        Matcher attempt = ATTEMPT.matcher(fileName);
        if (attempt.matches()) {
            return Optional.of(new PartialName(attempt.group(1),
                    Instant.ofEpochMilli(Long.parseLong(attempt.group(2), 16))));
        }
        if (fileName.endsWith(SUFFIX) && fileName.length() > SUFFIX.length()) {
            return Optional.of(new PartialName(fileName.substring(0, fileName.length() - SUFFIX.length()), null));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code attempt}, writing {@code finalName} in the same directory, removes this partial
     * before it writes: one of the same file that an earlier attempt began (that attempt is dead, or cut
     * off and replaced by this one: the server never accepts its answer), or one of any file abandoned
     * {@code abandonedAfter} ago. A partial begun after {@code attempt} is never touched: it may be the
     * live retry of a writer that was cut off, and this one the stale writer.
     */
    public boolean removableBy(WriteAttempt attempt, String finalName, Duration abandonedAfter) {
        if (this.finalName.equals(finalName)) {
            return began == null || began.isBefore(attempt.began());
        }
        return began != null && began.isBefore(attempt.began().minus(abandonedAfter));
    }
}
