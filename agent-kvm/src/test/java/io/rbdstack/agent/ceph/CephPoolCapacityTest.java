package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CephPoolCapacityTest {

    /** Trimmed from Ceph 16.2's {@code ceph df --format json}. */
    private static final String DF = """
            {"stats":{"total_bytes":4294967296,"total_avail_bytes":4294941378},
             "pools":[
              {"name":"rbd","id":1,"stats":{"stored":19,"objects":1,"kb_used":1,"bytes_used":38,"percent_used":4.6e-09,"max_avail":4080192256}},
              {"name":"device_health_metrics","id":2,"stats":{"stored":0,"objects":0,"bytes_used":0,"max_avail":4080192256}}]}
            """;

    @Test
    void readsStoredAndMaxAvailOfThePool() throws Exception {
        assertArrayEquals(new long[] {19, 4080192256L}, CephPoolCapacity.parseDf(DF, "rbd"));
        assertArrayEquals(new long[] {0, 4080192256L}, CephPoolCapacity.parseDf(DF, "device_health_metrics"));
    }

    @Test
    void olderCephWithoutStoredFallsBackToBytesUsed() throws Exception {
        String old = "{\"pools\":[{\"name\":\"rbd\",\"stats\":{\"bytes_used\":7,\"max_avail\":9}}]}";
        assertArrayEquals(new long[] {7, 9}, CephPoolCapacity.parseDf(old, "rbd"));
    }

    @Test
    void aPoolNotListedIsEnoent() {
        CephException e = assertThrows(CephException.class, () -> CephPoolCapacity.parseDf(DF, "nope"));
        assertEquals(-2, e.returnCode());
        assertEquals("ceph df does not list pool 'nope'", e.getMessage());
    }

    @Test
    void readsTheQuota() throws Exception {
        assertEquals(0, CephPoolCapacity.parseQuotaBytes("{\"pool_name\":\"rbd\",\"pool_id\":1,"
                + "\"quota_max_objects\":0,\"current_num_objects\":1,\"quota_max_bytes\":0,\"current_num_bytes\":19}"));
        assertEquals(1073741824L, CephPoolCapacity.parseQuotaBytes("{\"quota_max_bytes\":1073741824}"));
        assertThrows(CephException.class, () -> CephPoolCapacity.parseQuotaBytes("{}"));
        assertThrows(CephException.class, () -> CephPoolCapacity.parseQuotaBytes("not json"));
    }
}
