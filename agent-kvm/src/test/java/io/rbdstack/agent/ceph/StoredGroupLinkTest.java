package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StoredGroupLinkTest {

    /** What {@code rados getomapval rbd_header.<id> rbd_group_ref} showed for an image of group id 108d6b8b4567 in pool 1. */
    private static final byte[] LINK = HexFormat.of().parseHex(
            "010118000000" + "0100000000000000" + "0c000000" + "313038643662386234353637");

    @Test
    void aLinkReadsAsItsPoolAndGroupIdAndKeepsTheIdsOwnEncoding() throws Exception {
        RbdImageGroup.StoredGroupLink link = RbdImageGroup.StoredGroupLink.decode(LINK);
        assertEquals(1, link.pool());
        assertEquals("108d6b8b4567", link.groupId());
        assertArrayEquals(LINK, link.encoded());
        assertArrayEquals(HexFormat.of().parseHex("0c000000313038643662386234353637"), link.encodedGroupId());
    }

    @Test
    void noLinkIsPoolMinusOneAndAnEmptyId() throws Exception {
        byte[] none = HexFormat.of().parseHex("01010c000000" + "ffffffffffffffff" + "00000000");
        RbdImageGroup.StoredGroupLink link = RbdImageGroup.StoredGroupLink.decode(none);
        assertEquals(-1, link.pool());
        assertEquals("", link.groupId());
    }

    @Test
    void aShortOrNewerLinkIsRefusedNotGuessed() {
        assertEquals(-CephErrors.EIO, assertThrows(CephException.class, () -> RbdImageGroup.StoredGroupLink.decode(
                java.util.Arrays.copyOf(LINK, LINK.length - 3))).returnCode());
        byte[] newer = LINK.clone();
        newer[1] = 2;
        assertEquals(-CephErrors.EIO, assertThrows(CephException.class,
                () -> RbdImageGroup.StoredGroupLink.decode(newer)).returnCode());
    }
}
