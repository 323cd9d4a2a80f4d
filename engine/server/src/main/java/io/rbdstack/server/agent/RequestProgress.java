package io.rbdstack.server.agent;

/** Receives the progress an agent reports while it runs one request ({@code done} of {@code total}). */
@FunctionalInterface
public interface RequestProgress {

    RequestProgress IGNORED = (done, total) -> { };

    void progress(long done, long total);
}
