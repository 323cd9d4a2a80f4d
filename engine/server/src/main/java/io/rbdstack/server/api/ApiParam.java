package io.rbdstack.server.api;

/** One declared parameter of an API command; names are lower case, as CloudStack binds them. */
public record ApiParam(String name, ParamType type, boolean required, String description) {

    public ApiParam {
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("API parameter names are lower case: " + name);
        }
    }

    public static ApiParam required(String name, ParamType type, String description) {
        return new ApiParam(name, type, true, description);
    }

    public static ApiParam optional(String name, ParamType type, String description) {
        return new ApiParam(name, type, false, description);
    }
}
