package io.rbdstack.server.network;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The NICs of VMs on guest networks: what the VM code asks of the network code. Each method joins
 * the caller's {@link io.rbdstack.server.db.Jdbc#inTransaction transaction} when one is open, so a
 * deploy allocates its VM, NICs and root volume together or not at all.
 */
public interface GuestNics {

    /**
     * One NIC wanted on a network, in device order (the first is the default NIC). A null
     * {@code ip4Address} or {@code macAddress} is allocated; a given one must be free and valid.
     * {@code parameter} names the API parameter the request came from, for error messages;
     * {@code ipParameter} and {@code macParameter} the ones the address and the MAC came from.
     */
    record NicRequest(String networkUuid, String ip4Address, String macAddress, String parameter, String ipParameter,
                      String macParameter) {

        /** Network, address and MAC all from one parameter (deployVirtualMachine's networkids, iptonetworklist). */
        public NicRequest(String networkUuid, String ip4Address, String macAddress, String parameter) {
            this(networkUuid, ip4Address, macAddress, parameter, parameter, parameter);
        }
    }

    /**
     * Allocates the VM's NICs in the zone: MACs unique per zone from the configured prefix, IPv4
     * addresses from each network's range. Bad input is an {@link io.rbdstack.server.api.ApiException}
     * (431 naming the parameter; 533 when a network has no address left), and nothing is kept.
     */
    List<GuestNic> allocate(long vmId, long zoneId, long accountId, List<NicRequest> requests);

    /** Removes the VM's NICs (at expunge): their addresses may be reused, their MACs are not. */
    void release(long vmId);

    /** Removes one NIC of the VM (removeNicFromVirtualMachine): its address may be reused, its MAC is not. */
    void remove(long vmId, String nicUuid);

    /** Makes the NIC the VM's default one and the others not (updateDefaultNicForVirtualMachine). */
    void makeDefault(long vmId, String nicUuid);

    /**
     * The VM now runs, starts, stopped, was destroyed or expunged: where its NICs are served changed, so
     * their networks' DHCPv6 on the hosts is brought in step (in the background; never fails the caller).
     */
    void placementChanged(long vmId);

    /** The live NICs of each VM, in device order; VMs without NICs are absent from the map. */
    Map<Long, List<GuestNic>> nicsOf(Collection<Long> vmIds);
}
