package io.rbdstack.spi.agent;

/** The answer to a {@link ReadyCommand}: the host as the agent sees it now. */
public record ReadyAnswer(boolean success, String details, String hostname, HostInfo hostInfo)
        implements Answer {

    public static ReadyAnswer ready(String hostname, HostInfo hostInfo) {
        return new ReadyAnswer(true, null, hostname, hostInfo);
    }
}
