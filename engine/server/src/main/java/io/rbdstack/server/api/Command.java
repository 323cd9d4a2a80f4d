package io.rbdstack.server.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an API command on the record that holds its parameters: the record's components are the
 * parameters (see {@link Param}), its body implements {@link SyncCommand} or {@link AsyncCommand}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Command {

    /** The command name as clients send it (case-sensitive), e.g. {@code createVolume}. */
    String name();

    String description();

    Access access();

    /** The name of the object the command answers with ({@code volume}, {@code success}, …), for listApis. */
    String response();

    /**
     * The event type a call records in the audit trail (CloudStack's, e.g. {@code VOLUME.CREATE}; rbdstack's
     * own in the same style where CloudStack has none). Every command that changes state declares one; list
     * and query commands, which change nothing, declare none.
     */
    String event() default "";
}
