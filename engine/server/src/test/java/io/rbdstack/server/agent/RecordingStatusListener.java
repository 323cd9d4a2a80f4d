package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.Hello;
import java.util.ArrayList;
import java.util.List;

/** Records status events as "connected h1", "heartbeat h1", "overdue h1", "disconnected h1: reason". */
final class RecordingStatusListener implements HostStatusListener {

    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void connected(String hostId, Hello hello) {
        events.add("connected " + hostId);
    }

    @Override
    public synchronized void heartbeat(String hostId) {
        events.add("heartbeat " + hostId);
    }

    @Override
    public synchronized void heartbeatOverdue(String hostId) {
        events.add("overdue " + hostId);
    }

    @Override
    public synchronized void disconnected(String hostId, String reason) {
        events.add("disconnected " + hostId + ": " + reason);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Events other than heartbeats, which arrive at a rate tests should not depend on. */
    synchronized List<String> transitions() {
        return events.stream().filter(e -> !e.startsWith("heartbeat ")).toList();
    }

    synchronized boolean has(String prefix) {
        return events.stream().anyMatch(e -> e.startsWith(prefix));
    }

    synchronized long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }
}
