package io.rbdstack.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.server.agent.AgentTimeoutException;
import io.rbdstack.server.agent.AgentUnavailableException;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.TransferProgress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resend policy: which losses send a command to the next Up host, and what the caller is told. */
class HostFailoverTest {

    @JsonTypeName("test.safe")
    record SafeCommand() implements AgentCommand {
        @Override
        public boolean retrySafe() {
            return true;
        }
    }

    @JsonTypeName("test.unsafe")
    record UnsafeCommand() implements AgentCommand {
    }

    private static final PoolScope ZONE = PoolScope.zone("z1");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HostGateway gateway = mock(HostGateway.class);
    private final HostFailover failover = new HostFailover(gateway, new LeastBusyHosts(host -> 0), scope -> List.of());
    private final Answer ok = GenericAnswer.ok();

    @Test
    void aSafeCommandWhoseHostIsLostWhileItRunsIsSentToTheNextUpHost() throws Exception {
        AgentCommand command = new SafeCommand();
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenThrow(lost("h1", command));
        when(gateway.send(eq("h2"), eq(command), eq(TIMEOUT), any())).thenReturn(ok);

        assertSame(ok, failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE));
        verify(gateway, times(1)).send(eq("h1"), eq(command), eq(TIMEOUT), any());
    }

    @Test
    void theLostHostIsNotAskedAgainEvenWhileTheHostTableStillSaysUp() throws Exception {
        AgentCommand command = new SafeCommand();
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2", "h3"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenThrow(lost("h1", command));
        when(gateway.send(eq("h2"), eq(command), eq(TIMEOUT), any())).thenThrow(lost("h2", command));
        when(gateway.send(eq("h3"), eq(command), eq(TIMEOUT), any())).thenReturn(ok);

        assertSame(ok, failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE));
        verify(gateway, times(1)).send(eq("h1"), eq(command), eq(TIMEOUT), any());
        verify(gateway, times(1)).send(eq("h2"), eq(command), eq(TIMEOUT), any());
    }

    @Test
    void anUnsafeCommandWhoseHostIsLostWhileItRunsFailsNamingTheHost() throws Exception {
        AgentCommand command = new UnsafeCommand();
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenThrow(lost("h1", command));

        StorageException e = assertThrows(StorageException.class,
                () -> failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE));

        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind());
        assertEquals("Host h1 was lost while running test.unsafe, which is not safe to run twice, so no other host"
                + " was asked to (connection to host h1 lost while running UnsafeCommand)", e.getMessage());
        verify(gateway, never()).send(eq("h2"), any(), any(), any());
    }

    @Test
    void anUnsafeCommandThatNeverReachedItsHostGoesToTheNext() throws Exception {
        AgentCommand command = new UnsafeCommand();
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenThrow(new StorageException(
                StorageException.Kind.UNAVAILABLE, "host h1 is not connected",
                AgentUnavailableException.notConnected("h1")));
        when(gateway.send(eq("h2"), eq(command), eq(TIMEOUT), any())).thenReturn(ok);

        assertSame(ok, failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE));
    }

    @Test
    void anUnsafeCommandAStoppingAgentRefusedUnrunGoesToTheNext() throws Exception {
        AgentCommand command = new UnsafeCommand();
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenThrow(new StorageException(
                StorageException.Kind.UNAVAILABLE, "host h1 is stopping",
                AgentUnavailableException.stopping("h1", "the agent is stopping and did not run UnsafeCommand")));
        when(gateway.send(eq("h2"), eq(command), eq(TIMEOUT), any())).thenReturn(ok);

        assertSame(ok, failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE));
    }

    @Test
    void aTimeoutIsNotResentEvenForASafeCommand() throws Exception {
        AgentCommand command = new SafeCommand();
        StorageException timeout = new StorageException(StorageException.Kind.UNAVAILABLE, "timed out",
                new AgentTimeoutException("h1", "SafeCommand", TIMEOUT));
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenThrow(timeout);

        assertSame(timeout, assertThrows(StorageException.class,
                () -> failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE)));
        verify(gateway, never()).send(eq("h2"), any(), any(), any());
    }

    @Test
    void aFailedAnswerIsTheAnswer() throws Exception {
        AgentCommand command = new SafeCommand();
        Answer failed = GenericAnswer.failure("no such image");
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenReturn(failed);

        assertSame(failed, failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE));
        verify(gateway, never()).send(eq("h2"), any(), any(), any());
    }

    @Test
    void whenEveryHostIsLostTheLastLossIsReported() throws Exception {
        AgentCommand command = new SafeCommand();
        when(gateway.upHosts(ZONE)).thenReturn(List.of("h1", "h2"));
        when(gateway.send(eq("h1"), eq(command), eq(TIMEOUT), any())).thenThrow(lost("h1", command));
        when(gateway.send(eq("h2"), eq(command), eq(TIMEOUT), any())).thenThrow(lost("h2", command));

        StorageException e = assertThrows(StorageException.class,
                () -> failover.send(ZONE, command, TIMEOUT, TransferProgress.NONE));

        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind());
        assertEquals("connection to host h2 lost while running SafeCommand; no other host is Up in zone z1 to run"
                + " test.safe", e.getMessage());
    }

    @Test
    void noHostUpIsSaidAsBefore() {
        when(gateway.upHosts(PoolScope.cluster("z1", "c1"))).thenReturn(List.of());

        StorageException e = assertThrows(StorageException.class,
                () -> failover.send(PoolScope.cluster("z1", "c1"), new SafeCommand(), TIMEOUT, TransferProgress.NONE));

        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind());
        assertEquals("No host is Up in cluster c1 to run the storage command", e.getMessage());
    }

    /** What EngineHostGateway.send throws when the connection drops before the answer. */
    private static StorageException lost(String host, AgentCommand command) {
        AgentUnavailableException cause = AgentUnavailableException.lost(host, command.getClass().getSimpleName());
        return new StorageException(StorageException.Kind.UNAVAILABLE, cause.getMessage(), cause);
    }
}
