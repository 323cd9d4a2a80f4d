package io.rbdstack.agent.store;

import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.store.DeleteBackupCommand;
import io.rbdstack.spi.agent.store.ImageStoreAnswer;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The image-store commands: test a store (and read its capacity), delete a backup file. */
public final class ImageStoreCommandHandler implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStoreCommandHandler.class);

    private final CommandHandler next;

    public ImageStoreCommandHandler(CommandHandler next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public Answer handle(AgentCommand command) {
        if (command instanceof TestImageStoreCommand test) {
            try {
                ImageStoreDirectory store = ImageStoreDirectory.of(test.url());
                store.checkWritable();
                long[] capacity = store.capacity();
                return new ImageStoreAnswer(true, null, capacity[0], capacity[1]);
            } catch (IOException e) {
                return ImageStoreAnswer.failed(e.getMessage());
            }
        } else if (command instanceof DeleteBackupCommand delete) {
            try {
                if (!ImageStoreDirectory.of(delete.storeUrl()).delete(delete.path())) {
                    LOG.info("Backup {} was already gone from {}", delete.path(), delete.storeUrl());
                }
                return GenericAnswer.ok();
            } catch (IOException e) {
                return GenericAnswer.failure("cannot delete backup " + delete.path() + ": " + e.getMessage());
            }
        }
        return next.handle(command);
    }
}
