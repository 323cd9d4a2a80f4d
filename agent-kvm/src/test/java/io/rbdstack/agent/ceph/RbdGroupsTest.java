package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How rbd_group_list's buffer of names is read. */
class RbdGroupsTest {

    @Test
    void namesAreTheNulEndedStringsOfTheBufferAndItsZeroTailIsNoName() {
        byte[] buffer = new byte[32];
        byte[] names = "vm-1\0vm-22\0".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(names, 0, buffer, 0, names.length);

        assertEquals(List.of("vm-1", "vm-22"), RbdGroups.nulSeparated(buffer, buffer.length));
        assertEquals(List.of("vm-1"), RbdGroups.nulSeparated(buffer, 5));
        assertEquals(List.of(), RbdGroups.nulSeparated(new byte[8], 8));
    }
}
