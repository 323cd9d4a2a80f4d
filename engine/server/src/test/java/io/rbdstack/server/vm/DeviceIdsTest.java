package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DeviceIdsTest {

    @Test
    void dataDisksTakeOneTwoFourFiveSkippingTheCdromsThree() {
        assertEquals(OptionalInt.of(1), DeviceIds.next(List.of(0)));
        assertEquals(OptionalInt.of(2), DeviceIds.next(List.of(0, 1)));
        assertEquals(OptionalInt.of(4), DeviceIds.next(List.of(0, 1, 2)));
        assertEquals(OptionalInt.of(5), DeviceIds.next(List.of(0, 1, 2, 4)));
        assertEquals(OptionalInt.of(2), DeviceIds.next(List.of(0, 1, 4)), "a freed slot is reused");
    }

    @Test
    void afterSixDataDisksThereIsNoSlot() {
        assertEquals(OptionalInt.empty(), DeviceIds.next(List.of(0, 1, 2, 4, 5, 6, 7)));
        assertEquals(OptionalInt.of(1), DeviceIds.next(List.of(2, 4, 5, 6, 7)), "five data disks and no root");
    }

    @Test
    void aChosenDeviceIdMustBeAFreeDataDiskSlot() {
        assertEquals(4, DeviceIds.requireFree(4, List.of(0, 1)));
        assertTrue(assertThrows(ApiException.class, () -> DeviceIds.requireFree(0, List.of(0))).getMessage()
                .startsWith("Vm already has root volume attached to it"));
        assertTrue(assertThrows(ApiException.class, () -> DeviceIds.requireFree(3, List.of(0))).getMessage()
                .contains("CD-ROM"));
        assertTrue(assertThrows(ApiException.class, () -> DeviceIds.requireFree(1, List.of(0, 1))).getMessage()
                .contains("used by another volume"));
        assertThrows(ApiException.class, () -> DeviceIds.requireFree(8, List.of(0)));
    }
}
