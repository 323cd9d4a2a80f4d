package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per-attempt partial names, and which leftovers an attempt removes before it writes. */
class PartialNameTest {

    private static final Instant T = Instant.parse("2026-12-04T20:00:00.123Z");
    private static final Duration BOUND = Duration.ofHours(12);

    @Test
    void eachAttemptHasAPartialNameOfItsOwnThatSaysWhatFileAndWhenItBegan() {
        WriteAttempt one = WriteAttempt.at(T);
        WriteAttempt two = WriteAttempt.at(T); // the same millisecond, on another host
        assertNotEquals(one.partialOf("s1.rbddiff"), two.partialOf("s1.rbddiff"));
        assertTrue(one.partialOf("s1.rbddiff").matches("s1\\.rbddiff\\.[0-9a-f]{11}-[0-9a-f]{8}\\.part"),
                one.partialOf("s1.rbddiff"));
        assertEquals(Optional.of(new PartialName("s1.rbddiff", T.minusNanos(T.getNano() % 1_000_000))),
                PartialName.parse(one.partialOf("s1.rbddiff")));
    }

    @Test
    void theOldFixedPartialNameIsAPartialOfUnknownAgeAndOtherNamesAreNone() {
        assertEquals(Optional.of(new PartialName("s1.rbddiff", null)), PartialName.parse("s1.rbddiff.part"));
        assertEquals(Optional.empty(), PartialName.parse("s1.rbddiff"));
        assertEquals(Optional.empty(), PartialName.parse(".part"));
        assertEquals(Optional.empty(), PartialName.parse("s1.rbddiff.partial"));
    }

    @Test
    void anAttemptRemovesTheSameFilesPartialsThatBeganBeforeItNeverOnesThatBeganAfter() {
        WriteAttempt attempt = WriteAttempt.at(T);
        assertTrue(partial("s1.rbddiff", T.minusMillis(1)).removableBy(attempt, "s1.rbddiff", BOUND),
                "an earlier attempt's: dead, or cut off and replaced by this one");
        assertFalse(partial("s1.rbddiff", T.plusMillis(1)).removableBy(attempt, "s1.rbddiff", BOUND),
                "a later attempt's may be the live retry of this one, which is then the stale writer");
        assertFalse(partial("s1.rbddiff", attempt.began()).removableBy(attempt, "s1.rbddiff", BOUND));
        assertTrue(new PartialName("s1.rbddiff", null).removableBy(attempt, "s1.rbddiff", BOUND),
                "the fixed name of agents before per-attempt partials");
    }

    @Test
    void otherFilesPartialsGoOnlyOnceAbandoned() {
        WriteAttempt attempt = WriteAttempt.at(T);
        assertTrue(partial("s0.rbddiff", T.minus(BOUND).minusMillis(1)).removableBy(attempt, "s1.rbddiff", BOUND));
        assertFalse(partial("s0.rbddiff", T.minus(BOUND).plusMillis(1)).removableBy(attempt, "s1.rbddiff", BOUND),
                "another snapshot's backup may be running now");
        assertFalse(new PartialName("s0.rbddiff", null).removableBy(attempt, "s1.rbddiff", BOUND),
                "of unknown age: left");
    }

    private static PartialName partial(String finalName, Instant began) {
        return PartialName.parse(WriteAttempt.at(began).partialOf(finalName)).orElseThrow();
    }
}
