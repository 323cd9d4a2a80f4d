package io.rbdstack.server.api;

import java.util.List;
import java.util.Locale;

/**
 * One parameter of an API command as the binder enforces it and listApis shows it; made from a
 * {@link Param} on a record component, never written by hand.
 *
 * @param length  the longest value in characters, for strings, lists and map values; 0 for other types
 * @param allowed the values an enum parameter takes (matched case-insensitively); empty for others
 */
public record ApiParam(String name, ParamType type, boolean required, int length, long min, long max,
                       List<String> allowed, Entity entity, boolean acl, Format format, String column,
                       boolean multiline, String description) {

    public ApiParam {
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("API parameter names are lower case: " + name);
        }
        allowed = List.copyOf(allowed);
    }

    /** What listApis says: the declared description plus the limits the binder checks beyond type and length. */
    public String fullDescription() {
        StringBuilder text = new StringBuilder(description);
        if (!allowed.isEmpty()) {
            text.append(" (one of ").append(String.join(", ", allowed)).append(')');
        } else if (min != Long.MIN_VALUE || max != Long.MAX_VALUE) {
            text.append(" (").append(rangeText()).append(')');
        }
        return text.toString();
    }

    /** "at least 1", "at most 500" or "from -1 to 500". */
    String rangeText() {
        if (max == Long.MAX_VALUE || type == ParamType.INTEGER && max == Integer.MAX_VALUE) {
            return "at least " + min;
        }
        if (min == Long.MIN_VALUE || type == ParamType.INTEGER && min == Integer.MIN_VALUE) {
            return "at most " + max;
        }
        return "from " + min + " to " + max;
    }
}
