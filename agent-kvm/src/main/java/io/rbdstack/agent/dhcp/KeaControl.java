package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Talks to kea-dhcp6's own unix control socket (no kea-ctrl-agent): one command per connection, the
 * answer read until Kea closes it. A result other than 0 (success) or 3 (empty) fails with Kea's text.
 */
public final class KeaControl {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SUCCESS = 0;
    private static final int EMPTY = 3;

    private final Path socket;
    private final Duration timeout;

    public KeaControl(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** config-test, then config-set, then config-write: the running Kea takes the configuration without a restart. */
    public void apply(ObjectNode config) {
        call("config-test", config);
        call("config-set", config);
        call("config-write", null);
    }

    /** Frees an address's lease (IA_NA) or a delegated prefix's (IA_PD); none there is fine. */
    public void deleteLease(String address, boolean prefix) {
        ObjectNode arguments = JSON.createObjectNode().put("ip-address", address);
        if (prefix) {
            arguments.put("type", "IA_PD");
        }
        call("lease6-del", arguments);
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
        JsonNode response = exchange(command, request);
        // kea-ctrl-agent wraps answers in a list; kea-dhcp6's socket answers with the object itself.
        JsonNode answer = response.isArray() ? response.path(0) : response;
        int result = answer.path("result").asInt(-1);
        if (result != SUCCESS && result != EMPTY) {
            throw new DhcpException("Kea refused " + command + " (result " + result + "): " + answer.path("text").asText());
        }
        return answer.path("arguments");
    }

    private JsonNode exchange(String command, ObjectNode request) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Closing the channel unblocks a read or write that outlives the timeout.
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> close(channel),
                    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer out = ByteBuffer.wrap(JSON.writeValueAsBytes(request));
                while (out.hasRemaining()) {
                    channel.write(out);
                }
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
