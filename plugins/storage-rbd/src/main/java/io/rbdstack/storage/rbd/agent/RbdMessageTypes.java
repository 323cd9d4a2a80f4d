package io.rbdstack.storage.rbd.agent;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/** The RBD storage messages, contributed to the agent protocol (see META-INF/services). */
public final class RbdMessageTypes implements AgentMessageTypes {

    @Override
    public List<Class<? extends AgentCommand>> commands() {
        return List.of(TestRbdPoolCommand.class, DefineRbdPoolCommand.class, RemoveRbdPoolCommand.class,
                RbdPoolCapacityCommand.class, CreateRbdImageCommand.class, ResizeRbdImageCommand.class,
                DeleteRbdImageCommand.class, DescribeRbdImageCommand.class, PurgeRbdImageCommand.class,
                CreateRbdSnapshotCommand.class, DeleteRbdSnapshotCommand.class, RollbackRbdSnapshotCommand.class,
                CloneRbdSnapshotCommand.class, BackupRbdSnapshotCommand.class, RestoreRbdBackupCommand.class,
                ImportRbdTemplateCommand.class, CloneRbdTemplateCommand.class, FlattenRbdImageCommand.class,
                CreateRbdGroupSnapshotCommand.class, RollbackRbdGroupSnapshotCommand.class,
                DeleteRbdGroupSnapshotCommand.class, DeleteRbdGroupCommand.class, ListRbdGroupSnapshotsCommand.class,
                DeleteRbdTemplateCommand.class);
    }

    @Override
    public List<Class<? extends Answer>> answers() {
        return List.of(TestRbdPoolAnswer.class, RbdPoolCapacityAnswer.class, RbdImageAnswer.class,
                RbdImageStateAnswer.class, PurgeRbdImageAnswer.class, RbdSnapshotAnswer.class, RbdBackupAnswer.class,
                RbdTemplateAnswer.class, RbdGroupSnapshotAnswer.class, RbdGroupSnapshotsAnswer.class,
                RbdGroupRollbackAnswer.class, RbdTemplateDeleteAnswer.class, RbdImageDeleteAnswer.class);
    }
}
