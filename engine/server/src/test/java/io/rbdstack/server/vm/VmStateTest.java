package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmStateTest {

    @Test
    void aStoppedVmStartsIsDestroyedOrExpungedButNeverJumpsToRunning() {
        assertEquals(EnumSet.of(VmState.Starting, VmState.Destroyed, VmState.Expunging), VmState.Stopped.next());
        assertFalse(VmState.Stopped.canMoveTo(VmState.Running));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VmState.Stopped.checkMoveTo(VmState.Running));
        assertTrue(e.getMessage().contains("Stopped -> Running"), e.getMessage());
    }

    @Test
    void aFailedStartOrAVanishedDomainEndsStoppedAndAFailedStopRunningAgain() {
        assertTrue(VmState.Starting.canMoveTo(VmState.Stopped));
        assertTrue(VmState.Running.canMoveTo(VmState.Stopped), "state sync: the host no longer runs it");
        assertTrue(VmState.Stopping.canMoveTo(VmState.Running));
        assertFalse(VmState.Running.canMoveTo(VmState.Destroyed), "a destroy stops the VM first");
    }

    @Test
    void onlyADestroyedVmIsRecoveredAndOnlyAFailedExpungeIsError() {
        assertEquals(Set.of(VmState.Stopped, VmState.Expunging), VmState.Destroyed.next());
        for (VmState state : VmState.values()) {
            assertEquals(state == VmState.Expunging, state.canMoveTo(VmState.Error), state.name());
            assertEquals(state == VmState.Starting || state == VmState.Destroyed || state == VmState.Running
                    || state == VmState.Stopping, state.canMoveTo(VmState.Stopped), state.name());
        }
        assertEquals(Set.of(VmState.Expunging), VmState.Error.next());
    }

    @Test
    void theStatesThatHoldAHostAreStartingRunningAndStopping() {
        for (VmState state : VmState.values()) {
            assertEquals(EnumSet.of(VmState.Starting, VmState.Running, VmState.Stopping).contains(state),
                    state.holdsHost(), state.name());
        }
    }
}
