package io.rbdstack.server.agent;

/**
 * When a connection last heard from its agent and whether it has been reported overdue. Any
 * message counts as a sign of life, not only pings: a long response may hold up the pings queued
 * behind it. The overdue flag is read and written only under the {@link ConnectedHosts} lock, so
 * "overdue" and "heartbeat" events reach the status listener in a consistent order.
 */
final class Liveness {

    private volatile long lastHeardNanos = System.nanoTime();
    private boolean overdue;

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    /** @return true if this call is the one that made the connection overdue */
    boolean markOverdue() {
        if (overdue) {
            return false;
        }
        overdue = true;
        return true;
    }

    void clearOverdue() {
        overdue = false;
    }
}
