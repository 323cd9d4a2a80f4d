package io.rbdstack.agent.storage;

import static io.rbdstack.spi.agent.handler.AgentCommandHandler.of;
import static io.rbdstack.spi.agent.handler.AgentCommandHandler.withProgress;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import io.rbdstack.storage.rbd.agent.BackupRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CloneRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DescribeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdPoolCapacityCommand;
import io.rbdstack.storage.rbd.agent.RemoveRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.ResizeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RestoreRbdBackupCommand;
import io.rbdstack.storage.rbd.agent.RollbackRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.TestRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.CloneRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.FlattenRbdImageCommand;
import io.rbdstack.storage.rbd.agent.ImportRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.ListRbdGroupSnapshotsCommand;
import io.rbdstack.storage.rbd.agent.RollbackRbdGroupSnapshotCommand;
import io.rbdstack.agent.template.TemplateImportSettings;
import java.util.List;

/**
 * The RBD plugin's commands on the KVM agent, through its librados/librbd and libvirt adapters:
 * the agent's {@link LibvirtConnection}, {@link HostFacts} and {@link RadosConnector} services.
 */
public final class RbdCommandHandlers implements AgentCommandHandlerFactory {

    @Override
    public List<AgentCommandHandler<?>> create(AgentContext context) {
        RadosConnector rados = context.service(RadosConnector.class);
        RbdPoolCommands pools = RbdPoolCommands.create(rados, context.service(LibvirtConnection.class),
                context.service(HostFacts.class)::rbdStorageBackend);
        context.onConnected(pools::redefineAll); // the server may have been away while libvirtd restarted
        return handlers(rados, pools);
    }

    /** The handlers of every RBD command, the pool ones through {@code pools}. */
    public static List<AgentCommandHandler<?>> handlers(RadosConnector rados, RbdPoolCommands pools) {
        RbdImageCommands images = new RbdImageCommands(rados);
        RbdSnapshotCommands snapshots = new RbdSnapshotCommands(rados);
        RbdBackupCommands backups = new RbdBackupCommands(rados);
        RbdTemplateCommands templates = TemplateImportSettings.fromSystemProperties().commands(rados);
        RbdGroupCommands groups = new RbdGroupCommands(rados);
        return List.of(
                of(TestRbdPoolCommand.class, pools::test),
                of(DefineRbdPoolCommand.class, pools::define),
                of(RemoveRbdPoolCommand.class, pools::remove),
                of(RbdPoolCapacityCommand.class, pools::capacity),
                of(CreateRbdImageCommand.class, images::create),
                of(ResizeRbdImageCommand.class, images::resize),
                of(DeleteRbdImageCommand.class, images::delete),
                of(DescribeRbdImageCommand.class, images::describe),
                of(PurgeRbdImageCommand.class, images::purge),
                of(RollbackRbdSnapshotCommand.class, images::rollback),
                withProgress(CloneRbdSnapshotCommand.class, images::cloneSnapshot),
                of(CreateRbdSnapshotCommand.class, snapshots::create),
                of(DeleteRbdSnapshotCommand.class, snapshots::delete),
                withProgress(BackupRbdSnapshotCommand.class, backups::backup),
                withProgress(RestoreRbdBackupCommand.class, backups::restore),
                withProgress(ImportRbdTemplateCommand.class, templates::importTemplate),
                of(CloneRbdTemplateCommand.class, templates::cloneTemplate),
                withProgress(FlattenRbdImageCommand.class, templates::flatten),
                withProgress(DeleteRbdTemplateCommand.class, templates::delete),
                of(CreateRbdGroupSnapshotCommand.class, groups::create),
                of(ListRbdGroupSnapshotsCommand.class, groups::list),
                withProgress(RollbackRbdGroupSnapshotCommand.class, groups::rollback),
                of(DeleteRbdGroupSnapshotCommand.class, groups::deleteSnapshot),
                of(DeleteRbdGroupCommand.class, groups::deleteGroup));
    }
}
