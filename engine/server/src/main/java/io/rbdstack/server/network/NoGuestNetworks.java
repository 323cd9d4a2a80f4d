package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@link GuestNics} until guest networks exist: VMs get no NICs, and a deploy asking for a network is
 * refused (431) with nothing kept. The guest-network code replaces it in the management server's wiring.
 */
public final class NoGuestNetworks implements GuestNics {

    @Override
    public List<GuestNic> allocate(long vmId, long zoneId, long accountId, List<NicRequest> requests) {
        if (!requests.isEmpty()) {
            throw ApiException.invalidParameter("no guest networks are available yet (parameter "
                    + requests.get(0).parameter() + ")");
        }
        return List.of();
    }

    @Override
    public void release(long vmId) {
        // a VM here never has NICs
    }

    @Override
    public Map<Long, List<GuestNic>> nicsOf(Collection<Long> vmIds) {
        return Map.of();
    }
}
