package io.rbdstack.server.network;

/**
 * A VM's NIC on a guest network, with what the listVirtualMachines {@code nic} object shows and what
 * the agent needs to plug it: the Linux bridge, and the VLAN and uplink when the network has a VLAN.
 * The IPv6 fields are null unless the network is dual-stack: then the NIC's EUI-64 address, the /64 and
 * its gateway.
 */
public record GuestNic(
        String uuid,
        long vmId,
        String networkUuid,
        String networkName,
        int deviceId,
        boolean isDefault,
        String macAddress,
        String ip4Address,
        String netmask,
        String gateway,
        String ip6Address,
        String ip6Cidr,
        String ip6Gateway,
        String broadcastUri,
        Integer vlan,
        String bridge,
        String uplink) {
}
