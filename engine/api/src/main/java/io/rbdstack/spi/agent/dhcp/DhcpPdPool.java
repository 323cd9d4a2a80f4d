package io.rbdstack.spi.agent.dhcp;

/**
 * Prefixes delegated to clients that ask (IA_PD): {@code prefix} in CIDR form (e.g. 2001:db8:100::/56),
 * cut into prefixes of {@code delegatedLength} bits.
 */
public record DhcpPdPool(String prefix, int delegatedLength) {
}
