package io.rbdstack.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A command answered in the request: returns the content of its {@code <command>response} envelope. */
public non-sealed interface SyncCommand extends ApiCommand {
    ObjectNode execute(Caller caller, ApiArgs args);
}
