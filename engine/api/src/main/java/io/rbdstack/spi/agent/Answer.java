package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An agent's answer to an {@link AgentCommand}. Adding one takes one record and one
 * {@code @JsonSubTypes} entry below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "answer")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GenericAnswer.class, name = "generic"),
    @JsonSubTypes.Type(value = ReadyAnswer.class, name = "ready"),
    @JsonSubTypes.Type(value = EchoAnswer.class, name = "echo"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.TestRbdPoolAnswer.class, name = "rbd.testPool"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RbdPoolCapacityAnswer.class, name = "rbd.poolCapacity"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RbdImageAnswer.class, name = "rbd.image"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RbdImageStateAnswer.class, name = "rbd.imageState"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.PurgeRbdImageAnswer.class, name = "rbd.purgeImage"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RbdSnapshotAnswer.class, name = "rbd.snapshot"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RbdBackupAnswer.class, name = "rbd.backup"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.store.ImageStoreAnswer.class, name = "store"),
})
public interface Answer {

    boolean success();

    /** Why the command failed (null or empty when it succeeded). */
    String details();
}
