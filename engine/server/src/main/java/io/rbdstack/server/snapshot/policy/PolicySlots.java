package io.rbdstack.server.snapshot.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * When a policy's next snapshot is due after a given time: as its schedule says, or, for tests (the
 * server.properties key {@code snapshot.policy.test.interval.seconds}), every given number of seconds
 * counted from the epoch, so that every management server computes the same slots.
 */
@FunctionalInterface
public interface PolicySlots {

    Instant nextAfter(PolicySchedule schedule, Instant after);

    static PolicySlots asScheduled() {
        return PolicySchedule::nextAfter;
    }

    static PolicySlots every(Duration interval) {
        long seconds = interval.toSeconds();
        if (seconds < 1) {
            throw new IllegalArgumentException("a test interval of snapshot policies is at least one second");
        }
        return (schedule, after) -> Instant.ofEpochSecond(Math.floorDiv(after.getEpochSecond(), seconds) * seconds
                + seconds);
    }
}
