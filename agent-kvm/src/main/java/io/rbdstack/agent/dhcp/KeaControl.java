package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Talks to kea-dhcp6's own unix control socket (no kea-ctrl-agent): one command per connection, the
 * answer read until Kea closes it. A result other than 0 (success) or 3 (empty) fails with Kea's text.
 */
public final class KeaControl {

    // The request is written straight into the socket; the socket is closed by the exchange, not Jackson.
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    private static final int SUCCESS = 0;
    private static final int EMPTY = 3;

    private final Path socket;
    private final Duration timeout;

    public KeaControl(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /**
     * config-set: the running Kea takes the configuration without a restart. Kea parses it once and
     * commits it only when it is whole and valid; a refused one leaves the running configuration as it
     * was (KeaDhcpIT checks this), so a config-test first would only parse it twice. The caller writes
     * the file Kea starts from (cheaper than Kea's config-write, which prints its own copy back).
     */
    public void set(ObjectNode config) {
        call("config-set", config);
    }

    /**
     * Frees the leases of these addresses (IA_NA) and delegated prefixes (IA_PD): Kea is asked which
     * leases it holds (lease6-get-all), and only those of the list go, in one lease6-bulk-apply. Asking
     * first because most reservations that go were never leased, and deleting 10,000 absent leases
     * took Kea 150-430 ms (scripts/bench-kea.sh); listing the held ones costs a few ms per thousand.
     * A lease that is not there is fine, any other failure is thrown with Kea's text.
     */
    public void deleteLeases(List<String> addresses, List<String> prefixes) {
        if (addresses.isEmpty() && prefixes.isEmpty()) {
            return;
        }
        Set<String> held = heldLeases();
        List<String> heldAddresses = addresses.stream().filter(a -> held.contains(leaseKey("IA_NA", a))).toList();
        List<String> heldPrefixes = prefixes.stream().filter(p -> held.contains(leaseKey("IA_PD", p))).toList();
        if (heldAddresses.isEmpty() && heldPrefixes.isEmpty()) {
            return;
        }
        ObjectNode arguments = JSON.createObjectNode();
        arguments.putArray("leases");
        var deleted = arguments.putArray("deleted-leases");
        heldAddresses.forEach(a -> deleted.addObject().put("ip-address", a).put("type", "IA_NA"));
        heldPrefixes.forEach(p -> deleted.addObject().put("ip-address", p).put("type", "IA_PD"));
        ObjectNode request = JSON.createObjectNode().put("command", "lease6-bulk-apply");
        request.set("arguments", arguments);
        JsonNode answer = answer("lease6-bulk-apply", request);
        // Leases that were not there come back as failed with result 3 (and 3 overall when none was).
        for (JsonNode failed : answer.path("arguments").path("failed-deleted-leases")) {
            if (failed.path("result").asInt(-1) != EMPTY) {
                throw new DhcpException("Kea could not free the lease of " + failed.path("ip-address").asText() + ": "
                        + failed.path("error-message").asText());
            }
        }
        int result = answer.path("result").asInt(-1);
        if (result != SUCCESS && result != EMPTY && answer.path("arguments").path("failed-deleted-leases").isEmpty()) {
            throw new DhcpException("Kea refused lease6-bulk-apply (result " + result + "): " + answer.path("text").asText());
        }
    }

    /** Every lease Kea holds, as {@link #leaseKey}; Kea prints addresses in RFC 5952 form, as ServedNetwork does. */
    private Set<String> heldLeases() {
        Set<String> held = new HashSet<>();
        for (JsonNode lease : call("lease6-get-all", null).path("leases")) {
            held.add(leaseKey(lease.path("type").asText(), lease.path("ip-address").asText()));
        }
        return held;
    }

    private static String leaseKey(String type, String address) {
        return type + " " + address;
    }

    /** Whether a Kea answers on the socket. */
    public boolean answers() {
        try {
            call("version-get", null);
            return true;
        } catch (DhcpException e) {
            return false;
        }
    }

    /** Sends one command and returns its {@code arguments} (or an empty node); Kea's refusal is thrown with its text. */
    public JsonNode call(String command, JsonNode arguments) {
        ObjectNode request = JSON.createObjectNode().put("command", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        JsonNode answer = answer(command, request);
        int result = answer.path("result").asInt(-1);
        if (result != SUCCESS && result != EMPTY) {
            throw new DhcpException("Kea refused " + command + " (result " + result + "): " + answer.path("text").asText());
        }
        return answer.path("arguments");
    }

    /** Kea's whole answer, {@code result}, {@code text} and {@code arguments}, whatever the result. */
    private JsonNode answer(String command, ObjectNode request) {
        JsonNode response = exchange(command, request);
        // kea-ctrl-agent wraps answers in a list; kea-dhcp6's socket answers with the object itself.
        return response.isArray() ? response.path(0) : response;
    }

    private JsonNode exchange(String command, ObjectNode request) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Closing the channel unblocks a read or write that outlives the timeout.
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> close(channel),
                    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                // Streamed: a configuration of 10,000 reservations is about 1 MB, never held as a second copy.
                JSON.writeValue(Channels.newOutputStream(channel), request);
                ByteArrayOutputStream in = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(65536);
                while (channel.read(buffer) >= 0) {
                    in.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                return JSON.readTree(in.toByteArray());
            } finally {
                watchdog.cancel(false);
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            throw new DhcpException("Kea at " + socket + " did not answer " + command + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new DhcpException("cannot send " + command + " to Kea at " + socket + ": " + e.getMessage(), e);
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the exchange reports the failure
        }
    }
}
