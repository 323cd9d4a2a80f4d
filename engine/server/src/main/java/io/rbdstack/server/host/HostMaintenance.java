package io.rbdstack.server.host;

import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.api.ApiException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host maintenance: a host leaving service first stops being chosen for storage work (only Enabled hosts
 * are), then finishes the agent commands it was already given before it is in Maintenance. Cancelling puts
 * it back to Enabled at any point, which also ends a drain still waiting.
 */
public final class HostMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(HostMaintenance.class);

    private final HostRepository hosts;
    private final AgentConnections agents;
    private final Duration poll;

    public HostMaintenance(HostRepository hosts, AgentConnections agents, Duration poll) {
        this.hosts = hosts;
        this.agents = agents;
        this.poll = poll;
    }

    /** prepareHostForMaintenance's request part: the host takes no new work from now on. */
    public void begin(String hostUuid, String hostName) {
        HostResourceState state = state(hostUuid);
        if (!state.canMoveTo(HostResourceState.PrepareForMaintenance)) {
            throw ApiException.invalidParameter("Host " + hostName + " is already " + state
                    + "; it cannot be prepared for maintenance again");
        }
        if (!hosts.moveResourceState(hostUuid, state, HostResourceState.PrepareForMaintenance)) {
            throw ApiException.invalidParameter("The resource state of host " + hostName + " changed meanwhile; try again");
        }
        LOG.info("Host {} ({}) is preparing for maintenance: no new storage work goes to it", hostName, hostUuid);
    }

    /**
     * prepareHostForMaintenance's job: waits until the host's agent has answered every command it was
     * given, then moves it to Maintenance. Returns the state it ends in (Enabled when cancelled meanwhile).
     */
    public HostResourceState drain(String hostUuid) throws InterruptedException {
        while (true) {
            HostResourceState state = state(hostUuid);
            if (state != HostResourceState.PrepareForMaintenance) {
                return state;
            }
            int busy = agents.inFlight(hostUuid);
            if (busy == 0 && hosts.moveResourceState(hostUuid, HostResourceState.PrepareForMaintenance,
                    HostResourceState.Maintenance)) {
                LOG.info("Host {} is in maintenance", hostUuid);
                return HostResourceState.Maintenance;
            }
            if (busy > 0) {
                LOG.debug("Host {} still runs {} agent command(s) before its maintenance", hostUuid, busy);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** cancelHostMaintenance: the host takes work again. */
    public void cancel(String hostUuid, String hostName) {
        HostResourceState state = state(hostUuid);
        if (!state.inMaintenance()) {
            throw ApiException.invalidParameter("Host " + hostName + " is " + state
                    + ", not in maintenance; there is no maintenance to cancel");
        }
        if (!hosts.moveResourceState(hostUuid, state, HostResourceState.Enabled)) {
            throw ApiException.invalidParameter("The resource state of host " + hostName + " changed meanwhile; try again");
        }
        LOG.info("Maintenance of host {} ({}) cancelled: it takes storage work again", hostName, hostUuid);
    }

    private HostResourceState state(String hostUuid) {
        return hosts.resourceState(hostUuid).orElseThrow(() -> ApiException.invalidParameter(
                "Host " + hostUuid + " was deleted"));
    }
}
