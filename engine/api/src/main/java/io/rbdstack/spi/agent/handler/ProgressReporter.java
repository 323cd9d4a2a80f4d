package io.rbdstack.spi.agent.handler;

/**
 * Where a handler of a long command reports how far it is ({@code done} of {@code total}, bytes for a
 * copy). The agent sends the management server a {@code progress} message at most about once a second,
 * and always the report where done reaches total, so a handler may report as often as it likes.
 */
@FunctionalInterface
public interface ProgressReporter {

    /** Reports nowhere (tests, tools). */
    ProgressReporter NONE = (done, total) -> { };

    void report(long done, long total);
}
