package io.rbdstack.agent.dhcp;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kea's subnet ids for the networks this host serves. Kea keys leases on the subnet id, so a network
 * keeps its id from one configuration to the next: it comes from the network's uuid (a 31-bit hash,
 * never 0); on the rare clash the network later in uuid order takes the next free id.
 */
public final class SubnetIds {

    private SubnetIds() {
    }

    public static Map<String, Long> assign(Collection<String> networkUuids) {
        Map<String, Long> ids = new LinkedHashMap<>();
        Set<Long> taken = new HashSet<>();
        for (String uuid : new TreeSet<>(networkUuids)) {
            long id = (uuid.toLowerCase(java.util.Locale.ROOT).hashCode() & 0x7fffffffL) + 1;
            while (!taken.add(id)) {
                id = id % 0x7fffffffL + 1;
            }
            ids.put(uuid, id);
        }
        return ids;
    }
}
