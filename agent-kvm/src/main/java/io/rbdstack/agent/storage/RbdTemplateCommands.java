package io.rbdstack.agent.storage;

import io.rbdstack.agent.ceph.CephClientFiles;
import io.rbdstack.agent.ceph.CephErrors;
import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosConnector.Traffic;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdImageInfo;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.ceph.RbdTemplates;
import io.rbdstack.agent.template.QemuImg;
import io.rbdstack.agent.template.TemplateFetch;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import io.rbdstack.spi.storage.TemplateChecksum;
import io.rbdstack.storage.rbd.agent.CloneRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.DeleteRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdTemplateDeleteAnswer;
import io.rbdstack.storage.rbd.agent.FlattenRbdImageCommand;
import io.rbdstack.storage.rbd.agent.ImportRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdTemplateAnswer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template commands: import one (fetch and check, then raw straight into librbd or qcow2 through
 * qemu-img, then the protected base snapshot; nothing left in the pool on failure), clone a volume from
 * one, flatten a clone, delete one (with its clones in the RBD trash).
 */
public final class RbdTemplateCommands {

    private static final Logger LOG = LoggerFactory.getLogger(RbdTemplateCommands.class);

    private final RadosConnector rados;
    private final TemplateFetch fetch;
    private final QemuImg qemuImg;
    private final Path privateDirectory;

    /** @param privateDirectory where the Ceph client files for qemu-img are written (then deleted) */
    public RbdTemplateCommands(RadosConnector rados, TemplateFetch fetch, QemuImg qemuImg, Path privateDirectory) {
        this.rados = Objects.requireNonNull(rados, "rados");
        this.fetch = Objects.requireNonNull(fetch, "fetch");
        this.qemuImg = Objects.requireNonNull(qemuImg, "qemuImg");
        this.privateDirectory = Objects.requireNonNull(privateDirectory, "privateDirectory");
    }

    RbdTemplateAnswer importTemplate(ImportRbdTemplateCommand command, ProgressReporter progress) {
        String format = command.format().toUpperCase(Locale.ROOT);
        if (!format.equals("RAW") && !format.equals("QCOW2")) {
            return RbdTemplateAnswer.failed("Unsupported template format " + command.format() + ": use RAW or QCOW2");
        }
        TemplateChecksum checksum = command.checksumHex() == null ? null
                : new TemplateChecksum(command.checksumAlgorithm(), command.checksumHex());
        Path spool;
        try {
            spool = fetch.fetch(command.url(), checksum, command.maxBytes(), progress);
        } catch (TemplateFetch.FetchException e) {
            return RbdTemplateAnswer.failed(e.getMessage());
        }
        try (RadosSession session = rados.connect(command.pool(), Traffic.of(command))) {
            RbdImages images = new RbdImages(session);
            if (images.exists(command.image())) {
                images.delete(command.image()); // a half-made import of an earlier try
            }
            RbdImageInfo image;
            try {
                image = format.equals("RAW") ? new RbdTemplates(session).importRaw(spool, command.image(), progress)
                        : importQcow2(session, spool, command);
                new RbdTemplates(session).protectBase(command.image(), command.snapshot());
            } catch (CephException | IOException | RuntimeException e) {
                images.delete(command.image());
                throw e;
            }
            LOG.info("Imported template {} into {}/{} ({} bytes)", command.url(), command.pool().cephPool(),
                    command.image(), image.sizeBytes());
            return new RbdTemplateAnswer(true, null, command.image(), command.snapshot(), image.sizeBytes());
        } catch (CephException | IOException | RuntimeException e) {
            rados.retireAfter(command.pool(), e);
            LOG.warn("Importing template {} into pool {} failed: {}", command.url(), command.pool().cephPool(),
                    e.getMessage());
            return RbdTemplateAnswer.failed("Could not import the template: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                LOG.warn("Spool file {} is left behind: {}", spool, e.getMessage());
            }
        }
    }

    /** qcow2: checked to have no backing or external data file (they would read this host's files), then converted. */
    private RbdImageInfo importQcow2(RadosSession session, Path spool, ImportRbdTemplateCommand command)
            throws IOException, CephException {
        QemuImg.Info info = qemuImg.info(spool, "qcow2");
        if (info.backingFile() != null || info.externalDataFile()) {
            throw new IOException("the qcow2 file refers to another file (a backing or data file), which is refused");
        }
        RbdImages images = new RbdImages(session);
        images.create(command.image(), info.virtualSizeBytes());
        try (CephClientFiles files = CephClientFiles.write(command.pool(), privateDirectory)) {
            qemuImg.run(qemuImg.convertCommand(spool, "qcow2", command.pool().cephPool(), command.image(),
                    command.pool().cephUser(), files.conf()), "converting the qcow2 template to raw failed");
        }
        return images.info(command.image()).orElseThrow();
    }

    RbdImageAnswer cloneTemplate(CloneRbdTemplateCommand clone) {
        try (RadosSession session = rados.connect(clone.pool(), Traffic.of(clone))) {
            RbdImageInfo info = new RbdTemplates(session).cloneTemplate(clone.image(), clone.snapshot(),
                    clone.newImage(), clone.sizeBytes());
            return new RbdImageAnswer(true, null, info.name(), info.sizeBytes());
        } catch (CephException e) {
            rados.retireAfter(clone.pool(), e);
            return new RbdImageAnswer(false, e.getMessage(), clone.newImage(), 0);
        }
    }

    RbdImageAnswer flatten(FlattenRbdImageCommand flatten, ProgressReporter progress) {
        try (RadosSession session = rados.connect(flatten.pool(), Traffic.of(flatten))) {
            RbdImageInfo info = new RbdImages(session).flatten(flatten.image(), progress);
            return new RbdImageAnswer(true, null, info.name(), info.sizeBytes());
        } catch (CephException e) {
            rados.retireAfter(flatten.pool(), e);
            return new RbdImageAnswer(false, e.getMessage(), flatten.image(), 0);
        }
    }

    RbdTemplateDeleteAnswer delete(DeleteRbdTemplateCommand delete, ProgressReporter progress) {
        try (RadosSession session = rados.connect(delete.pool(), Traffic.of(delete))) {
            if (!new RbdTemplates(session).delete(delete.image(), delete.snapshot(), delete.flattenTrashedClones(),
                    progress)) {
                LOG.info("Template image {}/{} was already gone", delete.pool().cephPool(), delete.image());
            }
            return new RbdTemplateDeleteAnswer(true, null, false);
        } catch (CephException e) {
            rados.retireAfter(delete.pool(), e);
            return new RbdTemplateDeleteAnswer(false, e.getMessage(), CephErrors.inUse(e.returnCode()));
        }
    }
}
