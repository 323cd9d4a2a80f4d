package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.storage.StoreCredentials;

/**
 * Can this host use the image store at {@code url} (reach it, write to it)? Answered with
 * {@link ImageStoreAnswer}, which also carries its capacity. {@code credentials}: the store's keys
 * when it needs them (S3), else null.
 */
@JsonTypeName("store.test")
public record TestImageStoreCommand(String url, StoreCredentials credentials) implements AgentCommand {

    /** Safe to send to another host after a lost one: a probe whose file has a name of its own each time. */
    @Override
    public boolean retrySafe() {
        return true;
    }

    public TestImageStoreCommand(String url) {
        this(url, null);
    }
}
