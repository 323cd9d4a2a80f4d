package io.rbdstack.server.api;

import java.util.List;
import java.util.Locale;

/**
 * What listApis says about a command: its name (case-sensitive, as clients send it), description,
 * access, whether it runs as an async job, its parameters, and the name of its response object.
 */
public record CommandSpec(String name, String description, Access access, boolean async, String responseObject,
                          List<ApiParam> params) {

    public CommandSpec {
        params = List.copyOf(params);
    }

    /** The JSON envelope key: the command name lower-cased + "response". */
    public String responseName() {
        return name.toLowerCase(Locale.ROOT) + "response";
    }
}
