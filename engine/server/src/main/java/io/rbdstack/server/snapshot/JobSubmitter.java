package io.rbdstack.server.snapshot;

import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import java.util.Map;

/** Starts an async job (AsyncJobManager's submit): its row is written at once, so it is listed and its end recorded. */
@FunctionalInterface
public interface JobSubmitter {
    String submit(Caller caller, String command, Map<String, String> params, AsyncCommand.AsyncStart start);
}
