package io.rbdstack.server.vm;

import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.AgentException;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the hypervisor (vm.*) commands to a host's agent; a failure of any kind is an ApiException saying why. */
final class VmAgent {

    private static final Logger LOG = LoggerFactory.getLogger(VmAgent.class);

    private final AgentConnections agents;

    VmAgent(AgentConnections agents) {
        this.agents = agents;
    }

    /** Whether the host's agent is connected to this management server (only it can send to it) and not stopping. */
    boolean takesCommandsHere(String hostUuid) {
        return agents.takesCommands(hostUuid);
    }

    /** Whether the host's agent, connected here, said it is stopping: it takes no new command. */
    boolean stopping(String hostUuid) {
        return agents.isStopping(hostUuid);
    }

    /**
     * The answer, of the type expected, when it succeeded.
     *
     * @throws ApiException 534 when the host is not connected or did not answer in time, 530 when the
     *                      agent answered with a failure (its details are the text)
     */
    <A extends Answer> A send(String hostUuid, String hostName, AgentCommand command, Duration timeout,
                              Class<A> expected) {
        Answer answer;
        try {
            answer = agents.send(hostUuid, command, timeout).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentException) {
                throw ApiException.unavailable("Host " + hostName + ": " + e.getCause().getMessage());
            }
            LOG.error("Host {} could not run {}", hostUuid, command.getClass().getSimpleName(), e.getCause());
            throw ApiException.internal("Host " + hostName + " could not run the command (see the server log)",
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted waiting for host " + hostName);
        }
        if (!answer.success()) {
            throw ApiException.internal(answer.details() == null || answer.details().isEmpty()
                    ? "Host " + hostName + " refused the command" : answer.details(), null);
        }
        if (!expected.isInstance(answer)) {
            throw ApiException.internal("Host " + hostName + " answered " + answer.getClass().getSimpleName()
                    + " where " + expected.getSimpleName() + " was expected", null);
        }
        return expected.cast(answer);
    }
}
