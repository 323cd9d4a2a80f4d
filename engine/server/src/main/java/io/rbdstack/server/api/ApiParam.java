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
        } else if (hasRange()) {
            text.append(" (").append(rangeText()).append(')');
        }
        return text.toString();
    }

    /** Whether the parameter declares bounds narrower than its type's. */
    boolean hasRange() {
        long typeMin = type == ParamType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long typeMax = type == ParamType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        return (type == ParamType.INTEGER || type == ParamType.LONG) && (min != typeMin || max != typeMax);
    }

    /** What {@code value}, outside the range, should have been: the whole range when it has two declared ends. */
    String boundBroken(long value) {
        long typeMin = type == ParamType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long typeMax = type == ParamType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (min != typeMin && max != typeMax) {
            return "from " + min + " to " + max;
        }
        return value < min ? "at least " + min : "at most " + max;
    }

    /** "at least 1", "at most 500" or "from -1 to 500", against the bounds of the parameter's own type. */
    String rangeText() {
        long typeMin = type == ParamType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long typeMax = type == ParamType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (max == typeMax && min != typeMin) {
            return "at least " + min;
        }
        if (min == typeMin && max != typeMax) {
            return "at most " + max;
        }
        return "from " + min + " to " + max;
    }
}
