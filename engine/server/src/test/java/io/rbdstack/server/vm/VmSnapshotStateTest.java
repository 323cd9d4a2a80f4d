package io.rbdstack.server.vm;

import static io.rbdstack.server.vm.VmSnapshotState.Allocated;
import static io.rbdstack.server.vm.VmSnapshotState.Creating;
import static io.rbdstack.server.vm.VmSnapshotState.Error;
import static io.rbdstack.server.vm.VmSnapshotState.Expunging;
import static io.rbdstack.server.vm.VmSnapshotState.Ready;
import static io.rbdstack.server.vm.VmSnapshotState.Reverting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmSnapshotStateTest {

    @Test
    void aSnapshotIsTakenThenRevertedToAndDeleted() {
        assertTrue(Allocated.canMoveTo(Creating));
        assertTrue(Creating.canMoveTo(Ready));
        assertTrue(Ready.canMoveTo(Reverting));
        assertTrue(Reverting.canMoveTo(Ready));
        assertTrue(Ready.canMoveTo(Expunging));
    }

    @Test
    void aFailedTakeIsErrorAndOnlyADeleteMovesItOn() {
        assertTrue(Creating.canMoveTo(Error));
        assertTrue(Allocated.canMoveTo(Error));
        assertEquals(EnumSet.of(Expunging), Error.next());
    }

    @Test
    void aFailedRevertLeavesTheSnapshotReadyAndNothingElse() {
        assertEquals(EnumSet.of(Ready), Reverting.next());
    }

    @Test
    void aDeleteThatFailedMayBeRetriedButNeverUndone() {
        assertEquals(EnumSet.of(Expunging), Expunging.next());
        for (VmSnapshotState state : VmSnapshotState.values()) {
            assertFalse(Expunging.canMoveTo(state) && state != Expunging, "Expunging -> " + state);
        }
    }

    @Test
    void aSnapshotNotYetTakenCannotBeRevertedToOrBeReadyAtOnce() {
        assertFalse(Allocated.canMoveTo(Ready));
        assertFalse(Allocated.canMoveTo(Reverting));
        assertFalse(Creating.canMoveTo(Reverting));
        assertFalse(Error.canMoveTo(Reverting));
        assertFalse(Error.canMoveTo(Ready));
    }

    @Test
    void anIllegalMoveIsABugOfTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Error.checkMoveTo(Ready));
        assertTrue(e.getMessage().contains("Error -> Ready"), e.getMessage());
        Ready.checkMoveTo(Reverting);
    }

    @Test
    void theStatesAJobWorksInBlockOtherVmSnapshotWork() {
        Set<VmSnapshotState> busy = EnumSet.noneOf(VmSnapshotState.class);
        for (VmSnapshotState state : VmSnapshotState.values()) {
            if (state.busy()) {
                busy.add(state);
            }
        }
        // CloudStack's hasActiveVMSnapshotTasks: Creating, Expunging, Reverting, Allocated
        assertEquals(EnumSet.of(Allocated, Creating, Reverting, Expunging), busy);
    }

    @Test
    void deleteAcceptsTakenFailedAbandonedAndHalfDeletedSnapshotsOnly() {
        Set<VmSnapshotState> deletable = EnumSet.noneOf(VmSnapshotState.class);
        for (VmSnapshotState state : VmSnapshotState.values()) {
            if (state.deletable()) {
                deletable.add(state);
                assertTrue(state.canMoveTo(Expunging), state + " is deletable but cannot move to Expunging");
            }
        }
        assertEquals(EnumSet.of(Allocated, Ready, Error, Expunging), deletable);
    }
}
