package io.rbdstack.server.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Picks the host for the next storage command among those that can run it: the one with the fewest
 * commands in flight from this server (sent on its agent connection and not answered yet); among those,
 * the one chosen longest ago (never chosen first, then in the list's order): round-robin. The in-flight
 * count is known here without asking anyone and turns away from a host at once while a long backup
 * holds it; the round-robin spreads short commands, answered before the next is sent (every count 0),
 * over all hosts instead of always the first. It counts this server's commands only: with several
 * management servers, each spreads its own.
 */
final class LeastBusyHosts {

    private final ToIntFunction<String> inFlight;
    /** When each host was last chosen, on a counter of choices (one entry per host ever chosen: a few). */
    private final Map<String, Long> lastChosen = new HashMap<>();
    private long choices;

    LeastBusyHosts(ToIntFunction<String> inFlight) {
        this.inFlight = inFlight;
    }

    /** One of {@code hosts} (not empty, in a stable order, e.g. by id), recorded as chosen now. */
    synchronized String choose(List<String> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host to choose from");
        }
        String chosen = null;
        int fewest = Integer.MAX_VALUE;
        long longestAgo = Long.MAX_VALUE;
        for (String host : hosts) {
            int load = inFlight.applyAsInt(host);
            long last = lastChosen.getOrDefault(host, -1L);
            if (load < fewest || load == fewest && last < longestAgo) {
                chosen = host;
                fewest = load;
                longestAgo = last;
            }
        }
        lastChosen.put(chosen, choices++);
        return chosen;
    }
}
