package io.rbdstack.server.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record whose components are parameters shared by several commands ({@link ListParams}): a
 * command component of that type contributes the group's parameters as if declared in the command.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ParamGroup {
}
