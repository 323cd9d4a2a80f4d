package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.storage.StoreCredentials;

/**
 * Delete one backup file ({@code path}, relative to the store's root); an absent one is fine.
 * {@code credentials}: the store's keys when it needs them (S3), else null.
 */
@JsonTypeName("store.deleteBackup")
public record DeleteBackupCommand(String storeUrl, String path, StoreCredentials credentials) implements AgentCommand {

    /** Safe to send to another host after a lost one: a file already gone is answered as deleted. */
    @Override
    public boolean retrySafe() {
        return true;
    }

    public DeleteBackupCommand(String storeUrl, String path) {
        this(storeUrl, path, null);
    }
}
