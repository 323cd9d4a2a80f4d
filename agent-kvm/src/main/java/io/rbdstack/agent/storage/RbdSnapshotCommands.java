package io.rbdstack.agent.storage;

import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosConnector.Traffic;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdSnapshots;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.storage.rbd.agent.CreateRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.RbdSnapshotAnswer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Take and delete RBD snapshots; both are idempotent, as the server may repeat them after a crash. */
final class RbdSnapshotCommands {

    private static final Logger LOG = LoggerFactory.getLogger(RbdSnapshotCommands.class);

    private final RadosConnector rados;

    RbdSnapshotCommands(RadosConnector rados) {
        this.rados = Objects.requireNonNull(rados, "rados");
    }

    RbdSnapshotAnswer create(CreateRbdSnapshotCommand create) {
        try (RadosSession session = rados.connect(create.pool(), Traffic.of(create))) {
            RbdSnapshots.Snapshot taken = new RbdSnapshots(session).create(create.image(), create.snapshot());
            return new RbdSnapshotAnswer(true, null, taken.name(), taken.sizeBytes());
        } catch (CephException e) {
            rados.retireAfter(create.pool(), e);
            return new RbdSnapshotAnswer(false, e.getMessage(), create.snapshot(), 0);
        }
    }

    GenericAnswer delete(DeleteRbdSnapshotCommand delete) {
        try (RadosSession session = rados.connect(delete.pool(), Traffic.of(delete))) {
            if (!new RbdSnapshots(session).delete(delete.image(), delete.snapshot())) {
                LOG.info("Snapshot {}/{}@{} was already gone", delete.pool().cephPool(), delete.image(),
                        delete.snapshot());
            }
            return GenericAnswer.ok();
        } catch (CephException e) {
            rados.retireAfter(delete.pool(), e);
            return GenericAnswer.failure(e.getMessage());
        }
    }
}
