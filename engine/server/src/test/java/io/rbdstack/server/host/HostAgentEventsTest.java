package io.rbdstack.server.host;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.ca.HostCertificateRepository;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which disconnections raise a host alert: a live host's do; a deleted host's end its alert instead. */
class HostAgentEventsTest {

    private final HostRepository hosts = mock(HostRepository.class);
    private final Alerts alerts = mock(Alerts.class);
    private final HostAgentEvents events = new HostAgentEvents(hosts, mock(HostCertificateRepository.class), 1,
            alerts);

    @Test
    void aLiveHostThatDisconnectsRaisesAnAlert() {
        when(hosts.find("h1")).thenReturn(Optional.of(mock(HostRepository.HostView.class)));
        events.disconnected("h1", "connection reset");
        verify(hosts).status("h1", HostStatus.Disconnected, "connection reset");
        verify(alerts).hostDown(eq("h1"), anyString());
    }

    @Test
    void aDeletedHostsDisconnectionEndsItsAlertAndRaisesNone() {
        when(hosts.find("h2")).thenReturn(Optional.empty());
        events.disconnected("h2", "host deleted");
        verify(alerts).hostUp("h2");
        verify(alerts, never()).hostDown(anyString(), anyString());
        verify(hosts, never()).status(anyString(), eq(HostStatus.Disconnected), anyString());
    }
}
