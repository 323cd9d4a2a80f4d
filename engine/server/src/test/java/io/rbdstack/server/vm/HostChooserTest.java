package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostChooserTest {

    private static final long GIB = 1L << 30;
    private static final HostChooser.Need SMALL = new HostChooser.Need("vm1", GIB, 1000);

    private static HostChooser.Candidate host(long id, long totalGib, long usedGib, int cpus, long usedMhz) {
        return new HostChooser.Candidate(id, "uuid-" + id, "kvm" + id, totalGib * GIB, cpus, 2000, usedGib * GIB,
                usedMhz);
    }

    @Test
    void theHostWithTheMostFreeMemoryWinsThenTheMostFreeCpu() {
        HostChooser.Candidate chosen = HostChooser.choose(SMALL, List.of(host(1, 8, 6, 4, 0), host(2, 8, 2, 4, 0),
                host(3, 16, 12, 8, 0)), List.of(), BigDecimal.ONE, BigDecimal.ONE);
        assertEquals(2, chosen.id(), "6 GiB free beats 2 and 4");
        chosen = HostChooser.choose(SMALL, List.of(host(1, 8, 2, 4, 6000), host(2, 8, 2, 4, 1000)), List.of(),
                BigDecimal.ONE, BigDecimal.ONE);
        assertEquals(2, chosen.id(), "equal memory: more free CPU");
        chosen = HostChooser.choose(SMALL, List.of(host(2, 8, 2, 4, 0), host(1, 8, 2, 4, 0)), List.of(),
                BigDecimal.ONE, BigDecimal.ONE);
        assertEquals(1, chosen.id(), "equal hosts: the lowest id");
    }

    @Test
    void overprovisioningFactorsScaleWhatAHostOffers() {
        HostChooser.Candidate full = host(1, 4, 4, 1, 0);
        assertThrows(ApiException.class, () -> HostChooser.choose(SMALL, List.of(full), List.of(), BigDecimal.ONE,
                BigDecimal.ONE));
        assertEquals(1, HostChooser.choose(SMALL, List.of(full), List.of(), new BigDecimal("1.5"), BigDecimal.ONE)
                .id(), "4 GiB x 1.5 leaves 2 GiB");
        HostChooser.Candidate busyCpu = host(2, 8, 0, 1, 1500);
        assertThrows(ApiException.class, () -> HostChooser.choose(SMALL, List.of(busyCpu), List.of(), BigDecimal.ONE,
                BigDecimal.ONE));
        assertEquals(2, HostChooser.choose(SMALL, List.of(busyCpu), List.of(), BigDecimal.ONE, new BigDecimal("2"))
                .id());
    }

    @Test
    void noHostLeftIs533NamingEachHostAndWhy() {
        ApiException e = assertThrows(ApiException.class, () -> HostChooser.choose(SMALL, List.of(host(1, 1, 1, 4, 0)),
                List.of(new HostChooser.Unusable("kvm9", "is Disconnected")), BigDecimal.ONE, BigDecimal.ONE));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, e.errorCode());
        assertEquals("Unable to create a deployment for VM vm1: no host can run it: host kvm9 is Disconnected;"
                + " host kvm1 has 0 MiB of memory free, the VM needs 1024 MiB", e.getMessage());
        e = assertThrows(ApiException.class, () -> HostChooser.choose(SMALL, List.of(), List.of(), BigDecimal.ONE,
                BigDecimal.ONE));
        assertEquals("Unable to create a deployment for VM vm1: no host can run it (the zone has no host)",
                e.getMessage());
    }
}
