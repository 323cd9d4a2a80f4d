package io.rbdstack.agent;

import java.util.Objects;

/**
 * This agent's host uuid, as the management server's welcome names it. Handlers that tag what they
 * make on a libvirtd several agents may share (the VM domains) ask for it; no request runs before the
 * first welcome, so it is known by then.
 */
public final class HostIdentity {

    private volatile String hostUuid;

    /** Known from the start (tests). */
    public static HostIdentity of(String hostUuid) {
        HostIdentity identity = new HostIdentity();
        identity.welcomed(hostUuid);
        return identity;
    }

    /** The server welcomed the agent as this host. */
    public void welcomed(String hostUuid) {
        this.hostUuid = Objects.requireNonNull(hostUuid, "hostUuid");
    }

    public String hostUuid() {
        String uuid = hostUuid;
        if (uuid == null) {
            throw new IllegalStateException("no management server has welcomed this agent yet: its host uuid is unknown");
        }
        return uuid;
    }
}
