package io.rbdstack.spi.agent.dhcp;

/** Addresses handed out to clients without a reservation: {@code first} to {@code last}, inside the network's /64. */
public record DhcpPool(String first, String last) {
}
