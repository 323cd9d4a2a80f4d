package io.rbdstack.server.api;

/** An API command: a {@link SyncCommand} answers at once, an {@link AsyncCommand} starts a job. */
public sealed interface ApiCommand permits SyncCommand, AsyncCommand {
    CommandSpec spec();
}
