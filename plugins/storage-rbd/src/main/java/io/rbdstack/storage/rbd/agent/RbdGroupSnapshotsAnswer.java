package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/** A group's snapshots, oldest first; {@code complete} false for one whose creation did not finish. */
@JsonTypeName("rbd.groupSnapshots")
public record RbdGroupSnapshotsAnswer(boolean success, String details, List<Entry> snapshots) implements Answer {

    public record Entry(String name, boolean complete) {
    }

    public RbdGroupSnapshotsAnswer {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }
}
