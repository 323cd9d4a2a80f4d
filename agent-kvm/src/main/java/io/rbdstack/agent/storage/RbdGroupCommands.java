package io.rbdstack.agent.storage;

import io.rbdstack.agent.ceph.CephErrors;
import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosConnector.Traffic;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdGroups;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.storage.rbd.agent.CreateRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdGroupSnapshotCommand;
import io.rbdstack.storage.rbd.agent.ListRbdGroupSnapshotsCommand;
import io.rbdstack.storage.rbd.agent.RbdGroupRollbackAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotAnswer;
import io.rbdstack.storage.rbd.agent.RbdGroupSnapshotsAnswer;
import io.rbdstack.storage.rbd.agent.RollbackRbdGroupSnapshotCommand;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Group snapshots (VM snapshots): take, list, roll back to, delete; and deleting a group. */
final class RbdGroupCommands {

    private static final Logger LOG = LoggerFactory.getLogger(RbdGroupCommands.class);

    private final RadosConnector rados;

    RbdGroupCommands(RadosConnector rados) {
        this.rados = Objects.requireNonNull(rados, "rados");
    }

    RbdGroupSnapshotAnswer create(CreateRbdGroupSnapshotCommand create) {
        try (RadosSession session = rados.connect(create.pool(), Traffic.of(create))) {
            RbdGroups.TakenGroupSnapshot taken = new RbdGroups(session).createGroupSnapshot(create.group(),
                    create.images(), create.snapshot());
            return new RbdGroupSnapshotAnswer(true, null, taken.group(), taken.snapshot(), taken.images().stream()
                    .map(i -> new RbdGroupSnapshotAnswer.ImageSize(i.image(), i.sizeBytes())).toList(), false);
        } catch (CephException e) {
            rados.retireAfter(create.pool(), e);
            return RbdGroupSnapshotAnswer.failed(e.getMessage(), CephErrors.invalidRequest(e.returnCode()));
        }
    }

    RbdGroupSnapshotsAnswer list(ListRbdGroupSnapshotsCommand list) {
        try (RadosSession session = rados.connect(list.pool(), Traffic.of(list))) {
            return new RbdGroupSnapshotsAnswer(true, null, new RbdGroups(session).listGroupSnapshots(list.group())
                    .stream().map(s -> new RbdGroupSnapshotsAnswer.Entry(s.name(), s.complete())).toList());
        } catch (CephException e) {
            rados.retireAfter(list.pool(), e);
            return new RbdGroupSnapshotsAnswer(false, e.getMessage(), null);
        }
    }

    RbdGroupRollbackAnswer rollback(RollbackRbdGroupSnapshotCommand rollback, ProgressReporter progress) {
        try (RadosSession session = rados.connect(rollback.pool(), Traffic.of(rollback))) {
            new RbdGroups(session).rollbackGroupSnapshot(rollback.group(), rollback.snapshot(), progress);
            return new RbdGroupRollbackAnswer(true, null, false);
        } catch (CephException e) {
            rados.retireAfter(rollback.pool(), e);
            return new RbdGroupRollbackAnswer(false, e.getMessage(), CephErrors.inUse(e.returnCode()));
        }
    }

    GenericAnswer deleteSnapshot(DeleteRbdGroupSnapshotCommand delete) {
        try (RadosSession session = rados.connect(delete.pool(), Traffic.of(delete))) {
            if (!new RbdGroups(session).deleteGroupSnapshot(delete.group(), delete.snapshot())) {
                LOG.info("Group snapshot {}/{}@{} was already gone", delete.pool().cephPool(), delete.group(),
                        delete.snapshot());
            }
            return GenericAnswer.ok();
        } catch (CephException e) {
            rados.retireAfter(delete.pool(), e);
            return GenericAnswer.failure(e.getMessage());
        }
    }

    GenericAnswer deleteGroup(DeleteRbdGroupCommand delete) {
        try (RadosSession session = rados.connect(delete.pool(), Traffic.of(delete))) {
            if (!new RbdGroups(session).removeGroup(delete.group())) {
                LOG.info("Group {}/{} was already gone", delete.pool().cephPool(), delete.group());
            }
            return GenericAnswer.ok();
        } catch (CephException e) {
            rados.retireAfter(delete.pool(), e);
            return GenericAnswer.failure(e.getMessage());
        }
    }
}
