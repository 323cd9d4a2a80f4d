package io.rbdstack.agent.store;

import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import io.rbdstack.spi.agent.store.DeleteBackupCommand;
import io.rbdstack.spi.agent.store.DeleteBackupLeftoversCommand;
import io.rbdstack.spi.agent.store.ImageStoreAnswer;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import io.rbdstack.spi.agent.store.VerifyBackupCommand;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image-store commands: test a store (and read its capacity), delete a backup file or the leftovers of a
 * snapshot's backup attempts, verify a backup file.
 */
public final class ImageStoreCommandHandlers implements AgentCommandHandlerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStoreCommandHandlers.class);

    @Override
    public List<AgentCommandHandler<?>> create(AgentContext context) {
        return List.of(
                AgentCommandHandler.of(TestImageStoreCommand.class, ImageStoreCommandHandlers::test),
                AgentCommandHandler.of(DeleteBackupCommand.class, ImageStoreCommandHandlers::delete),
                AgentCommandHandler.of(DeleteBackupLeftoversCommand.class, ImageStoreCommandHandlers::deleteLeftovers),
                AgentCommandHandler.of(VerifyBackupCommand.class, BackupVerifier::verify));
    }

    private static ImageStoreAnswer test(TestImageStoreCommand test) {
        try {
            ImageStore store = ImageStores.open(test.url(), test.credentials());
            store.checkWritable();
            long[] capacity = store.capacity();
            return new ImageStoreAnswer(true, null, capacity[0], capacity[1]);
        } catch (IOException e) {
            return ImageStoreAnswer.failed(e.getMessage());
        }
    }

    private static GenericAnswer delete(DeleteBackupCommand delete) {
        try {
            if (!ImageStores.open(delete.storeUrl(), delete.credentials()).delete(delete.path())) {
                LOG.info("Backup {} was already gone from {}", delete.path(), delete.storeUrl());
            }
            return GenericAnswer.ok();
        } catch (IOException e) {
            return GenericAnswer.failure("cannot delete backup " + delete.path() + ": " + e.getMessage());
        }
    }

    private static GenericAnswer deleteLeftovers(DeleteBackupLeftoversCommand command) {
        try {
            int deleted = ImageStores.open(command.storeUrl(), command.credentials()).deleteLeftovers(
                    command.directory(), command.prefix(), Set.copyOf(command.keep()));
            if (deleted > 0) {
                LOG.info("Deleted {} file(s) or upload(s) of unaccepted backup attempts {}/{}* from {}", deleted,
                        command.directory(), command.prefix(), command.storeUrl());
            }
            return GenericAnswer.ok();
        } catch (IOException e) {
            return GenericAnswer.failure("cannot delete the leftovers of backup attempts " + command.directory() + "/"
                    + command.prefix() + "* from " + command.storeUrl() + ": " + e.getMessage());
        }
    }
}
