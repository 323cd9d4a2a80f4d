package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.storage.StoreCredentials;
import java.util.List;

/**
 * Delete what a snapshot's backup attempts left in {@code directory} of the store (relative to its root):
 * every file, partial ones too, whose name starts with {@code prefix} ({@code <snapshot uuid>.}) but those
 * named in {@code keep} (the recorded backups), and on S3 the open uploads of such keys. Sent only once no
 * attempt can still be running. {@code credentials}: the store's keys when it needs them (S3), else null.
 */
@JsonTypeName("store.deleteBackupLeftovers")
public record DeleteBackupLeftoversCommand(String storeUrl, String directory, String prefix, List<String> keep,
                                           StoreCredentials credentials) implements AgentCommand {

    public DeleteBackupLeftoversCommand {
        keep = List.copyOf(keep);
    }

    /** Safe to send to another host after a lost one: what is gone stays gone, and the kept files are named. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
