package io.rbdstack.server.api;

/**
 * An API command: a record annotated {@link Command} whose components are its parameters, bound and
 * checked by {@link ParamBinder} before the body runs. A {@link SyncCommand} answers at once, an
 * {@link AsyncCommand} starts a job. {@code D} is what the body needs from the server (repositories,
 * services), given once at registration.
 */
public sealed interface ApiCommand<D> permits SyncCommand, AsyncCommand {
}
