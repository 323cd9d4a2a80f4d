package io.rbdstack.agent.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records what the client reports about its connection. */
final class RecordingConnectionListener implements ConnectionListener {

    record Retry(String reason, Duration delay) {
    }

    private final List<String> connected = new ArrayList<>();
    private final List<String> disconnected = new ArrayList<>();
    private final List<Retry> retries = new ArrayList<>();

    @Override
    public synchronized void onConnected(String hostId) {
        connected.add(hostId);
    }

    @Override
    public synchronized void onDisconnected(String reason) {
        disconnected.add(reason);
    }

    @Override
    public synchronized void onRetryScheduled(String reason, Duration delay) {
        retries.add(new Retry(reason, delay));
    }

    synchronized List<String> connected() {
        return List.copyOf(connected);
    }

    synchronized List<String> disconnected() {
        return List.copyOf(disconnected);
    }

    synchronized List<Retry> retries() {
        return List.copyOf(retries);
    }

    synchronized List<Long> retryDelaysMillis() {
        return retries.stream().map(r -> r.delay().toMillis()).toList();
    }
}
