package io.rbdstack.server.api;

import java.util.List;
import java.util.Locale;

/**
 * What listApis says about a command: its name (case-sensitive, as clients send it), description,
 * access, whether it runs as an async job, its parameters, and the name of its response object; and the
 * event type its calls record (empty for commands that change nothing).
 */
public record CommandSpec(String name, String description, Access access, boolean async, String responseObject,
                          List<ApiParam> params, String eventType) {

    public CommandSpec {
        params = List.copyOf(params);
    }

    /** Whether calls record events: every command that changes state. */
    public boolean recordsEvents() {
        return !eventType.isEmpty();
    }

    /** The JSON envelope key: the command name lower-cased + "response". */
    public String responseName() {
        return name.toLowerCase(Locale.ROOT) + "response";
    }
}
