package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a VM starts: of the hosts that may run it, the one with the most free memory, then the most
 * free CPU, where free is the host's capacity times the overprovisioning factor less what the VMs
 * holding it (Starting, Running, Stopping) take. Pure: the caller reads the candidates under the host
 * locks and records the choice in the same transaction.
 */
final class HostChooser {

    private HostChooser() {
    }

    /** A host that may run VMs, and what its VMs already take of it. */
    record Candidate(long id, String uuid, String name, long totalMemoryBytes, int cpus, long speedMhz,
                     long usedMemoryBytes, long usedCpuMhz) {
    }

    /** A host of the zone that cannot take the VM, and why (for the 533 text). */
    record Unusable(String name, String why) {
    }

    /** What the VM needs. */
    record Need(String vmName, long memoryBytes, long cpuMhz) {
    }

    /** The chosen host; the rest of each free amount after this VM. */
    static Candidate choose(Need need, List<Candidate> candidates, List<Unusable> unusable, BigDecimal memFactor,
                            BigDecimal cpuFactor) {
        List<Unusable> why = new ArrayList<>(unusable);
        Optional<Candidate> best = candidates.stream().filter(c -> {
            long freeMem = freeMemory(c, memFactor);
            long freeCpu = freeCpu(c, cpuFactor);
            if (freeMem < need.memoryBytes()) {
                why.add(new Unusable(c.name(), "has " + freeMem / (1 << 20) + " MiB of memory free, the VM needs "
                        + need.memoryBytes() / (1 << 20) + " MiB"));
                return false;
            }
            if (freeCpu < need.cpuMhz()) {
                why.add(new Unusable(c.name(), "has " + freeCpu + " MHz of CPU free, the VM needs " + need.cpuMhz()
                        + " MHz"));
                return false;
            }
            return true;
        }).max(Comparator.comparingLong((Candidate c) -> freeMemory(c, memFactor))
                .thenComparingLong(c -> freeCpu(c, cpuFactor))
                // equal hosts: the lowest id, so the choice is stable
                .thenComparing(Comparator.comparingLong(Candidate::id).reversed()));
        return best.orElseThrow(() -> ApiException.insufficientCapacity("Unable to create a deployment for VM "
                + need.vmName() + ": no host can run it" + (why.isEmpty() ? " (the zone has no host)" : ": "
                + String.join("; ", why.stream().map(u -> "host " + u.name() + " " + u.why()).toList()))));
    }

    static long freeMemory(Candidate host, BigDecimal factor) {
        return new BigDecimal(host.totalMemoryBytes()).multiply(factor).longValue() - host.usedMemoryBytes();
    }

    static long freeCpu(Candidate host, BigDecimal factor) {
        return new BigDecimal(host.cpus() * host.speedMhz()).multiply(factor).longValue() - host.usedCpuMhz();
    }
}
