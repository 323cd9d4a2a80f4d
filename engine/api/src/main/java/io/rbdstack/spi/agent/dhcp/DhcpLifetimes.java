package io.rbdstack.spi.agent.dhcp;

/**
 * A network's DHCPv6 timers in seconds: T1 (renew), T2 (rebind), and the preferred and valid lifetimes
 * of what is handed out. The server fills them from its global settings.
 */
public record DhcpLifetimes(long renewSeconds, long rebindSeconds, long preferredSeconds, long validSeconds) {
}
