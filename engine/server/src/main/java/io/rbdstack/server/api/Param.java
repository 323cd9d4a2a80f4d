package io.rbdstack.server.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One parameter of an API command, on a component of the command's record. The component's type says
 * the parameter's type and whether it is required: {@code Optional<…>}, {@code List<String>} and the map
 * types are optional, anything else is required. Supported types: String, Long, Integer, Boolean, an enum
 * (matched case-insensitively), {@code List<String>} (comma-separated), {@code Map<String, String>}
 * ({@code details[0].key=…&details[0].value=…}) and {@code List<Map<String, String>>} (the same entries
 * kept apart, by index, for entries that need not have both a key and a value).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {

    /** CloudStack's most common limit for a string. */
    int DEFAULT_LENGTH = 255;

    /** The parameter's name; empty = the component's name lower-cased ({@code zoneId} → {@code zoneid}). */
    String name() default "";

    String description();

    /** Longest value accepted, in characters (strings, lists, map values). */
    int length() default DEFAULT_LENGTH;

    /** Smallest number accepted (Long and Integer). */
    long min() default Long.MIN_VALUE;

    /** Largest number accepted (Long and Integer). */
    long max() default Long.MAX_VALUE;

    /** For an id: the entity it names; the binder refuses an id that names no row. */
    Entity entity() default Entity.NONE;

    /** For an id of an owned entity: only its owner's account (or a root admin) may name it. */
    boolean acl() default false;

    /** A form the value must have beyond its type (an IP address, a CIDR …). */
    Format format() default Format.ANY;

    /**
     * The column the value is stored in, {@code table.column}; a test checks {@link #length()} against the
     * column's size in the live schema. Empty for values that are not stored as given.
     */
    String column() default "";

    /** Whether line breaks and tabs are allowed (descriptions); other control characters never are. */
    boolean multiline() default false;
}
