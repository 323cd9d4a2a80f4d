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
}
