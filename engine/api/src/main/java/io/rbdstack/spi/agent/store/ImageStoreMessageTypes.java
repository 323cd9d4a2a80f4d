package io.rbdstack.spi.agent.store;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/**
 * The image-store (secondary storage) messages. They stay in the SPI because the engine's own
 * image-store and backup code sends them, whichever primary storage a backup comes from.
 */
public final class ImageStoreMessageTypes implements AgentMessageTypes {

    @Override
    public List<Class<? extends AgentCommand>> commands() {
        return List.of(TestImageStoreCommand.class, DeleteBackupCommand.class, DeleteBackupLeftoversCommand.class,
                VerifyBackupCommand.class);
    }

    @Override
    public List<Class<? extends Answer>> answers() {
        return List.of(ImageStoreAnswer.class, BackupVerifiedAnswer.class);
    }
}
