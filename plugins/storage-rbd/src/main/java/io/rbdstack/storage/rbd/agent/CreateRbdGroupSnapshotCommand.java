package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import java.util.List;

/**
 * Snapshot {@code images} together as {@code group@snapshot} (a VM snapshot): the group is created if missing
 * and made to hold exactly these images; a complete snapshot of that name counts as taken. Answered by
 * {@link RbdGroupSnapshotAnswer}.
 */
@JsonTypeName("rbd.groupSnapshotCreate")
public record CreateRbdGroupSnapshotCommand(RbdPool pool, String group, List<String> images, String snapshot)
        implements AgentCommand {

    /**
     * Safe to send to another host after a lost one: a complete group snapshot of that name is answered as taken, an
     * incomplete one is taken again.
     */
    @Override
    public boolean retrySafe() {
        return true;
    }

    public CreateRbdGroupSnapshotCommand {
        images = images == null ? List.of() : List.copyOf(images);
    }
}
