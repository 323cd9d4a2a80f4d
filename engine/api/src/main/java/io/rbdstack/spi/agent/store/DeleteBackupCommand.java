package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Delete one backup file ({@code path}, relative to the store's root); an absent one is fine. */
@JsonTypeName("store.deleteBackup")
public record DeleteBackupCommand(String storeUrl, String path) implements AgentCommand {
}
