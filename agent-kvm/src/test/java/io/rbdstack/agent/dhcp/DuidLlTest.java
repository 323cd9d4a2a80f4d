package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DuidLlTest {

    private static final MacAddress MAC = MacAddress.parse("52:54:00:D6:C2:A9");

    @Test
    void duidLlIsTypeThreeEthernetThenTheMac() {
        assertEquals("00:03:00:01:52:54:00:d6:c2:a9", DuidLl.ll(MAC));
    }

    @Test
    void duidLltCarriesTheTimeBeforeTheMacAsTheSeedsClientSentIt() {
        // The seed's log: duid=[00:01:00:01:1e:47:7e:66:52:54:00:d6:c2:a9]
        assertEquals("00:01:00:01:1e:47:7e:66:52:54:00:d6:c2:a9", DuidLl.llt(MAC, 0x1e477e66L));
    }
}
