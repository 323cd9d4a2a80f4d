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

    public CreateRbdGroupSnapshotCommand {
        images = images == null ? List.of() : List.copyOf(images);
    }
}
