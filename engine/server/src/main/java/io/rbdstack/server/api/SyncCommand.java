package io.rbdstack.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A command answered in the request: returns the content of its {@code <command>response} envelope. */
public non-sealed interface SyncCommand<D> extends ApiCommand<D> {
    ObjectNode execute(Caller caller, D deps);
}
