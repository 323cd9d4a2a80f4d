package io.rbdstack.server.volume;

import static io.rbdstack.server.volume.VolumeState.Allocated;
import static io.rbdstack.server.volume.VolumeState.Creating;
import static io.rbdstack.server.volume.VolumeState.Destroyed;
import static io.rbdstack.server.volume.VolumeState.Destroying;
import static io.rbdstack.server.volume.VolumeState.Error;
import static io.rbdstack.server.volume.VolumeState.Expunged;
import static io.rbdstack.server.volume.VolumeState.Ready;
import static io.rbdstack.server.volume.VolumeState.Resizing;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The volume life cycle, written out edge by edge here so that any change to it is deliberate. */
class VolumeStateTest {

    private record Edge(VolumeState from, VolumeState to) {
    }

    private static final Set<Edge> LEGAL = Set.of(
            new Edge(Allocated, Creating), new Edge(Allocated, Error),
            new Edge(Creating, Ready), new Edge(Creating, Error),
            new Edge(Ready, Resizing), new Edge(Resizing, Ready),
            new Edge(Ready, Destroying),
            new Edge(Ready, VolumeState.Snapshotting), new Edge(VolumeState.Snapshotting, Ready),
            new Edge(Ready, VolumeState.RevertSnapshotting), new Edge(VolumeState.RevertSnapshotting, Ready),
            new Edge(Destroying, Destroyed), new Edge(Destroying, Expunged), new Edge(Destroying, Ready),
            new Edge(Destroying, VolumeState.Expunging), new Edge(VolumeState.Expunging, Destroyed),
            new Edge(VolumeState.Expunging, Expunged),
            new Edge(Destroyed, Expunged));

    @Test
    void everyLegalTransitionIsAllowed() {
        for (Edge edge : LEGAL) {
            assertTrue(edge.from().canMoveTo(edge.to()), edge.toString());
            assertDoesNotThrow(() -> edge.from().checkMoveTo(edge.to()), edge.toString());
        }
    }

    @Test
    void everyOtherTransitionIsRefusedAsABug() {
        List<Edge> refused = new ArrayList<>();
        for (VolumeState from : VolumeState.values()) {
            for (VolumeState to : VolumeState.values()) {
                Edge edge = new Edge(from, to);
                if (LEGAL.contains(edge)) {
                    continue;
                }
                assertFalse(from.canMoveTo(to), edge.toString());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> from.checkMoveTo(to));
                assertTrue(e.getMessage().startsWith("Illegal volume state transition " + from + " -> " + to),
                        e.getMessage());
                refused.add(edge);
            }
        }
        assertEquals(VolumeState.values().length * VolumeState.values().length - LEGAL.size(), refused.size());
    }

    @Test
    void theHappyPathsAndTheirExamples() {
        // createVolume, resizeVolume, deleteVolume without and with a deferral
        walk(Allocated, Creating, Ready, Resizing, Ready, Destroying, Expunged);
        walk(Ready, Destroying, Destroyed, Expunged);
        // a VM's expunge while a client still has its root volume open, deleted later by the storage cleanup
        walk(Ready, Destroying, VolumeState.Expunging, Expunged);
        walk(Ready, Destroying, VolumeState.Expunging, Destroyed, Expunged);
        // a failed create, resize and delete
        walk(Allocated, Creating, Error);
        walk(Ready, Resizing, Ready, Destroying, Ready);
    }

    @Test
    void noStateLeadsBackIntoCreationAndTheEndsAreEnds() {
        for (VolumeState from : VolumeState.values()) {
            assertFalse(from.canMoveTo(Allocated), from + " -> Allocated");
            assertFalse(from.canMoveTo(from), from + " -> itself");
        }
        assertEquals(EnumSet.noneOf(VolumeState.class), Error.next());
        assertEquals(EnumSet.noneOf(VolumeState.class), Expunged.next());
        assertThrows(IllegalStateException.class, () -> Error.checkMoveTo(Ready));
        assertThrows(IllegalStateException.class, () -> Creating.checkMoveTo(Destroying));
    }

    @Test
    void onlyTheEndStatesRemoveTheRow() {
        assertEquals(EnumSet.of(Destroyed, VolumeState.Expunging, Expunged, Error),
                EnumSet.copyOf(List.of(VolumeState.values()).stream().filter(VolumeState::removesRow).toList()));
    }

    private static void walk(VolumeState... path) {
        for (int i = 1; i < path.length; i++) {
            path[i - 1].checkMoveTo(path[i]);
        }
    }
}
