/**
 * The DHCPv6 messages a management server sends to the agent of a host that serves a guest network:
 * the network's whole DHCPv6 state ({@code dhcp.applyNetwork}, idempotent: it replaces what the host
 * had for that network) and its removal ({@code dhcp.removeNetwork}). The agent runs ISC Kea for them.
 */
package io.rbdstack.spi.agent.dhcp;
