package io.rbdstack.agent.storage;

import io.rbdstack.agent.ceph.CephErrors;
import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosConnector.Traffic;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdImageInfo;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.ceph.RbdSnapshots;
import io.rbdstack.agent.ceph.RbdTrash;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.storage.rbd.agent.CloneRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DescribeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageAnswer;
import io.rbdstack.storage.rbd.agent.PurgeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageDeleteAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageStateAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.ResizeRbdImageCommand;
import io.rbdstack.storage.rbd.agent.RollbackRbdSnapshotCommand;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RBD image commands through librbd: create, grow, delete (or move to the trash), describe and
 * purge an image, roll it back to a snapshot, make one from a snapshot. Each answers with the
 * image as it is afterwards; a Ceph failure becomes a failed answer.
 */
final class RbdImageCommands {

    private static final Logger LOG = LoggerFactory.getLogger(RbdImageCommands.class);

    private final RadosConnector rados;

    RbdImageCommands(RadosConnector rados) {
        this.rados = Objects.requireNonNull(rados, "rados");
    }

    RbdImageAnswer create(CreateRbdImageCommand create) {
        // If absent: the server may resend a create whose host was lost (see CreateRbdImageCommand.retrySafe).
        return image(create, create.pool(), create.image(),
                images -> images.createIfAbsent(create.image(), create.sizeBytes()));
    }

    RbdImageAnswer resize(ResizeRbdImageCommand resize) {
        return image(resize, resize.pool(), resize.image(),
                images -> images.resize(resize.image(), resize.newSizeBytes()));
    }

    /** Deletes the image or moves it to the trash; a refusal because a client still has it open says so (inUse). */
    RbdImageDeleteAnswer delete(DeleteRbdImageCommand delete) {
        try (RadosSession session = rados.connect(delete.pool(), Traffic.of(delete))) {
            RbdImages images = new RbdImages(session);
            boolean existed = delete.deferSeconds() > 0
                    ? images.moveToTrash(delete.image(), delete.deferSeconds())
                    : images.delete(delete.image());
            if (!existed) {
                LOG.info("RBD image {}/{} was already gone", delete.pool().cephPool(), delete.image());
            }
            return new RbdImageDeleteAnswer(true, null, false);
        } catch (CephException e) {
            rados.retireAfter(delete.pool(), e);
            return new RbdImageDeleteAnswer(false, e.getMessage(), CephErrors.inUse(e.returnCode()));
        }
    }

    RbdImageStateAnswer describe(DescribeRbdImageCommand describe) {
        try (RadosSession session = rados.connect(describe.pool(), Traffic.of(describe))) {
            return new RbdImages(session).info(describe.image())
                    .map(info -> new RbdImageStateAnswer(true, null, true, info.sizeBytes()))
                    .orElseGet(() -> new RbdImageStateAnswer(true, null, false, 0));
        } catch (CephException e) {
            rados.retireAfter(describe.pool(), e);
            return RbdImageStateAnswer.failed(e.getMessage());
        }
    }

    PurgeRbdImageAnswer purge(PurgeRbdImageCommand purge) {
        try (RadosSession session = rados.connect(purge.pool(), Traffic.of(purge))) {
            RbdTrash.Purge done = new RbdTrash(session).purge(purge.image());
            return new PurgeRbdImageAnswer(true, null, done.purged(),
                    done.deferredUntil() == null ? 0 : done.deferredUntil().getEpochSecond());
        } catch (CephException e) {
            rados.retireAfter(purge.pool(), e);
            return PurgeRbdImageAnswer.failed(e.getMessage());
        }
    }

    RbdImageAnswer rollback(RollbackRbdSnapshotCommand rollback) {
        return image(rollback, rollback.pool(), rollback.image(), images -> {
            new RbdSnapshots(images.session()).rollback(rollback.image(), rollback.snapshot());
            return images.info(rollback.image()).orElseThrow();
        });
    }

    /** A copy-on-write clone of the snapshot, flattened at once unless the command asks for it linked. */
    RbdImageAnswer cloneSnapshot(CloneRbdSnapshotCommand clone, ProgressReporter progress) {
        return image(clone, clone.pool(), clone.newImage(), images -> clone.linked()
                ? images.cloneLinked(clone.image(), clone.snapshot(), clone.newImage())
                : images.cloneFlattened(clone.image(), clone.snapshot(), clone.newImage(), progress));
    }

    @FunctionalInterface
    private interface ImageWork {
        RbdImageInfo apply(RbdImages images) throws CephException;
    }

    /** {@code work} on the connection of {@code command}'s traffic. */
    private RbdImageAnswer image(AgentCommand command, RbdPool pool, String image, ImageWork work) {
        try (RadosSession session = rados.connect(pool, Traffic.of(command))) {
            RbdImageInfo info = work.apply(new RbdImages(session));
            return new RbdImageAnswer(true, null, info.name(), info.sizeBytes());
        } catch (CephException e) {
            rados.retireAfter(pool, e);
            return new RbdImageAnswer(false, e.getMessage(), image, 0);
        }
    }
}
