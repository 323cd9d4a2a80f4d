package io.rbdstack.server.snapshot;

import static io.rbdstack.server.snapshot.SnapshotState.Allocated;
import static io.rbdstack.server.snapshot.SnapshotState.BackedUp;
import static io.rbdstack.server.snapshot.SnapshotState.BackingUp;
import static io.rbdstack.server.snapshot.SnapshotState.CreatedOnPrimary;
import static io.rbdstack.server.snapshot.SnapshotState.Creating;
import static io.rbdstack.server.snapshot.SnapshotState.Destroyed;
import static io.rbdstack.server.snapshot.SnapshotState.Destroying;
import static io.rbdstack.server.snapshot.SnapshotState.Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every legal snapshot transition is allowed, every other one is refused as a bug. */
class SnapshotStateTest {

    private record Edge(SnapshotState from, SnapshotState to) {
    }

    private static final Set<Edge> LEGAL = Set.of(
            new Edge(Allocated, Creating), new Edge(Allocated, Error),
            new Edge(Creating, CreatedOnPrimary), new Edge(Creating, Error),
            new Edge(CreatedOnPrimary, BackingUp), new Edge(CreatedOnPrimary, Destroying),
            new Edge(CreatedOnPrimary, Destroyed),
            new Edge(BackingUp, BackedUp), new Edge(BackingUp, CreatedOnPrimary),
            new Edge(BackedUp, BackingUp), new Edge(BackedUp, Destroying),
            new Edge(Destroying, Destroyed), new Edge(Destroying, CreatedOnPrimary), new Edge(Destroying, BackedUp));

    @Test
    void exactlyTheListedTransitionsAreAllowed() {
        List<Edge> wrong = new ArrayList<>();
        for (SnapshotState from : SnapshotState.values()) {
            for (SnapshotState to : SnapshotState.values()) {
                Edge edge = new Edge(from, to);
                if (from.canMoveTo(to) != LEGAL.contains(edge)) {
                    wrong.add(edge);
                }
                if (!LEGAL.contains(edge)) {
                    assertThrows(IllegalStateException.class, () -> from.checkMoveTo(to), edge.toString());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void onlyDestroyedAndErrorRemoveTheRowAndOnlyWholeSnapshotsAreUsable() {
        for (SnapshotState state : SnapshotState.values()) {
            assertEquals(state == Destroyed || state == Error, state.removesRow(), state.name());
            assertEquals(state == CreatedOnPrimary || state == BackedUp, state.isUsable(), state.name());
        }
        assertTrue(Destroyed.next().isEmpty() && Error.next().isEmpty());
    }
}
