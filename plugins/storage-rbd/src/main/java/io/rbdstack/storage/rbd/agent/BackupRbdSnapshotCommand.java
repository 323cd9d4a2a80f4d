package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Write {@code image@snapshot} to the image store at {@code storeUrl} as {@code path} (relative to
 * its root) in the rbd diff v1 format: everything when {@code fromSnapshot} is null, else only the
 * changes since that snapshot. Answered with {@link RbdBackupAnswer}.
 */
@JsonTypeName("rbd.backupSnapshot")
public record BackupRbdSnapshotCommand(RbdPool pool, String image, String snapshot, String fromSnapshot,
                                       String storeUrl, String path) implements AgentCommand {
}
