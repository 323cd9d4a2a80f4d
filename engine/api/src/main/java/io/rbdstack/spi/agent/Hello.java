package io.rbdstack.spi.agent;

/**
 * Agent → server, the first message of every connection.
 *
 * @param hostToken the credential the management server issued for this host, on a plain-TCP
 *                  connection; null on a mutual-TLS connection, where the certificate says who the
 *                  host is. Never logged, so {@link #toString()} masks it
 */
public record Hello(String hostToken, String hostname, String agentVersion, HostInfo hostInfo)
        implements AgentMessage {

    /** The same hello without its credential, for a connection the host's certificate authenticates. */
    public Hello withoutToken() {
        return new Hello(null, hostname, agentVersion, hostInfo);
    }

    @Override
    public String toString() {
        return "Hello[hostToken=******, hostname=" + hostname + ", agentVersion=" + agentVersion
                + ", hostInfo=" + hostInfo + "]";
    }
}
