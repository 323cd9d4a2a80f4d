package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Delete template image {@code image} and its base {@code snapshot}; refused while clones depend on it. Clones in
 * the RBD trash (deleted volumes) are named in the refusal, or with {@code flattenTrashedClones} purged when their
 * deferral is over and flattened otherwise. Answered by {@link RbdTemplateDeleteAnswer}, reporting progress.
 */
@JsonTypeName("rbd.deleteTemplate")
public record DeleteRbdTemplateCommand(RbdPool pool, String image, String snapshot, boolean flattenTrashedClones)
        implements AgentCommand {

    /** Safe to send to another host after a lost one: a template image already gone is answered as deleted. */
    @Override
    public boolean retrySafe() {
        return true;
    }

    /** Flattening the trashed clones copies their data; a plain delete does not. */
    @Override
    public boolean transfer() {
        return flattenTrashedClones;
    }
}
