package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import java.util.List;

/**
 * Create {@code newImage} of {@code sizeBytes} and apply the backup {@code chain} to it in order (a
 * full backup, then the incremental ones); each file's SHA-256 is checked. A failure deletes the
 * new image. Answered with the image ({@link RbdImageAnswer}).
 */
@JsonTypeName("rbd.restoreBackup")
public record RestoreRbdBackupCommand(RbdPool pool, String newImage, long sizeBytes, List<BackupFile> chain)
        implements AgentCommand {

    /** Writes every file of the backup chain into a new image. */
    @Override
    public boolean transfer() {
        return true;
    }
}
