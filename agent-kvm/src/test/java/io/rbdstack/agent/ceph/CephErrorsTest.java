package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer.Failure;
import org.junit.jupiter.api.Test;

class CephErrorsTest {

    @Test
    void connectFailuresSayWhoseFaultItIs() {
        assertEquals(Failure.BAD_CREDENTIALS, CephErrors.onConnect(-13)); // wrong key, unknown user, no mon caps
        assertEquals(Failure.BAD_CREDENTIALS, CephErrors.onConnect(-1));
        assertEquals(Failure.BAD_CREDENTIALS, CephErrors.onConnect(-95)); // no key at all
        assertEquals(Failure.MONITORS_UNREACHABLE, CephErrors.onConnect(-110)); // nobody answered in time
        assertEquals(Failure.MONITORS_UNREACHABLE, CephErrors.onConnect(-111));
        assertEquals(Failure.MONITORS_UNREACHABLE, CephErrors.onConnect(-113));
        assertEquals(Failure.MONITORS_UNREACHABLE, CephErrors.onConnect(-101));
        assertEquals(Failure.MONITORS_UNREACHABLE, CephErrors.onConnect(-4));
        assertEquals(Failure.MONITORS_UNREACHABLE, CephErrors.onConnect(-22)); // name does not resolve
        assertEquals(Failure.MONITORS_UNREACHABLE, CephErrors.onConnect(-2));  // no monitor address
        assertEquals(Failure.OTHER, CephErrors.onConnect(-5));
    }

    @Test
    void openingThePoolFailsOnlyWhenItIsMissing() {
        assertEquals(Failure.NO_SUCH_POOL, CephErrors.onOpenPool(-2));
        assertEquals(Failure.NO_SUCH_POOL, CephErrors.onOpenPool(-13));
        assertEquals(Failure.NO_SUCH_POOL, CephErrors.onOpenPool(-1));
        assertEquals(Failure.OTHER, CephErrors.onOpenPool(-110)); // no OSD map: mon caps, said in the details
    }

    @Test
    void writeFailuresMeanNotWritable() {
        assertEquals(Failure.NOT_WRITABLE, CephErrors.onWrite(-1)); // read-only or other pool's caps
        assertEquals(Failure.NOT_WRITABLE, CephErrors.onWrite(-13));
        assertEquals(Failure.NOT_WRITABLE, CephErrors.onWrite(-30));
        assertEquals(Failure.NOT_WRITABLE, CephErrors.onWrite(-122));
        assertEquals(Failure.NOT_WRITABLE, CephErrors.onWrite(-28));
        assertEquals(Failure.NO_SUCH_POOL, CephErrors.onWrite(-2));
        assertEquals(Failure.OTHER, CephErrors.onWrite(-110));
    }

    @Test
    void describesErrnoByNameAndNumber() {
        assertEquals("EACCES (-13)", CephErrors.describe(-13));
        assertEquals("ETIMEDOUT (-110)", CephErrors.describe(110));
        assertEquals("errno 42 (-42)", CephErrors.describe(-42));
    }

    @Test
    void onlyFailuresThatMayBeTheConnectionsRetireIt() {
        for (int rc : new int[] {-110, -107, -108, -111, -113, -101, -13, -1, -5}) {
            assertEquals(true, CephErrors.mayBeTheConnection(rc), CephErrors.describe(rc));
        }
        for (int rc : new int[] {-2, -17, -22, -16, -30, -28, -39, 0}) {
            assertEquals(false, CephErrors.mayBeTheConnection(rc), CephErrors.describe(rc));
        }
    }
}
