package io.rbdstack.spi.agent.dhcp;

/**
 * A NIC's reservation: its MAC and the address it gets (its EUI-64 address in the network's /64), and
 * optionally a delegated prefix in CIDR form (null when none).
 */
public record DhcpReservation(String mac, String ip6Address, String delegatedPrefix) {
}
