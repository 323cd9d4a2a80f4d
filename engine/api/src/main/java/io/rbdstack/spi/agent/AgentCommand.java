package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Work the management server asks an agent to do. Adding a command takes one record (anywhere in
 * engine/api) and one {@code @JsonSubTypes} entry below. The interface is deliberately not sealed:
 * a sealed one would force every command into this package and add a third place to edit.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "command")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ReadyCommand.class, name = "ready"),
    @JsonSubTypes.Type(value = EchoCommand.class, name = "echo"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.TestRbdPoolCommand.class, name = "rbd.testPool"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.DefineRbdPoolCommand.class, name = "rbd.definePool"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RemoveRbdPoolCommand.class, name = "rbd.removePool"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RbdPoolCapacityCommand.class, name = "rbd.poolCapacity"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.CreateRbdImageCommand.class, name = "rbd.createImage"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.ResizeRbdImageCommand.class, name = "rbd.resizeImage"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.DeleteRbdImageCommand.class, name = "rbd.deleteImage"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.DescribeRbdImageCommand.class, name = "rbd.describeImage"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.PurgeRbdImageCommand.class, name = "rbd.purgeImage"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.CreateRbdSnapshotCommand.class, name = "rbd.createSnapshot"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.DeleteRbdSnapshotCommand.class, name = "rbd.deleteSnapshot"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RollbackRbdSnapshotCommand.class, name = "rbd.rollbackSnapshot"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.CloneRbdSnapshotCommand.class, name = "rbd.cloneSnapshot"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.BackupRbdSnapshotCommand.class, name = "rbd.backupSnapshot"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.rbd.RestoreRbdBackupCommand.class, name = "rbd.restoreBackup"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.store.TestImageStoreCommand.class, name = "store.test"),
    @JsonSubTypes.Type(value = io.rbdstack.spi.agent.store.DeleteBackupCommand.class, name = "store.deleteBackup"),
})
public interface AgentCommand {
}
