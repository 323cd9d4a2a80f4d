package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UpgradeLockNameTest {

    @Test
    void eachSchemaHasItsOwnLock() {
        assertEquals("rbdstack.db-upgrade.cloud", UpgradeLock.nameFor("cloud"));
        assertNotEquals(UpgradeLock.nameFor("cloud"), UpgradeLock.nameFor("cloud2"));
    }

    @Test
    void longSchemaNamesStayWithinMysqlsLimit() {
        String a = UpgradeLock.nameFor("s".repeat(64));
        String b = UpgradeLock.nameFor("s".repeat(63) + "t");
        assertTrue(a.length() <= 64, a);
        assertNotEquals(a, b);
    }
}
