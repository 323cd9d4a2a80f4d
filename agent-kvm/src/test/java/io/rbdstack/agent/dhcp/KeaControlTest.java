package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KeaControl's lease freeing against a scripted Kea on a unix socket: one canned answer per command. */
class KeaControlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELD = "{\"result\": 0, \"arguments\": {\"leases\": ["
            + "{\"ip-address\": \"2001:db8:42:0:5054:ff:fed6:c2a9\", \"type\": \"IA_NA\"},"
            + "{\"ip-address\": \"2001:db8:4200:10::\", \"type\": \"IA_PD\", \"prefix-len\": 60}]}}";
    private static final String NONE_HELD = "{\"result\": 3, \"text\": \"0 IPv6 lease(s) found.\", \"arguments\": {\"leases\": []}}";
    private static final String BULK_OK = "{\"result\": 0, \"text\": \"Bulk apply of 2 IPv6 leases completed.\"}";

    @TempDir
    Path dir;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private ServerSocketChannel server;
    private Thread kea;

    @Test
    void onlyTheLeasesKeaHoldsAreDeletedInOneBulkApply() throws Exception {
        KeaControl control = scriptedKea(HELD, BULK_OK);
        control.deleteLeases(List.of("2001:db8:42::1:5", "2001:db8:42:0:5054:ff:fed6:c2a9"),
                List.of("2001:db8:4200:10::", "2001:db8:4200:20::"));
        assertEquals(List.of("lease6-get-all", "lease6-bulk-apply"), commands());
        assertEquals(JSON.readTree("[{\"ip-address\": \"2001:db8:42:0:5054:ff:fed6:c2a9\", \"type\": \"IA_NA\"},"
                + "{\"ip-address\": \"2001:db8:4200:10::\", \"type\": \"IA_PD\"}]"),
                requests.get(1).at("/arguments/deleted-leases"));
    }

    @Test
    void noLeaseHeldMeansNoDeleteAtAll() throws Exception {
        KeaControl control = scriptedKea(NONE_HELD);
        control.deleteLeases(List.of("2001:db8:42:0:5054:ff:fed6:c2a9"), List.of("2001:db8:4200:10::"));
        assertEquals(List.of("lease6-get-all"), commands());
    }

    @Test
    void nothingToFreeAsksKeaNothing() throws Exception {
        KeaControl control = scriptedKea();
        control.deleteLeases(List.of(), List.of());
        assertEquals(List.of(), commands());
    }

    @Test
    void aLeaseKeaCannotDeleteFailsWithKeasText() throws Exception {
        KeaControl control = scriptedKea(HELD, "{\"result\": 1, \"text\": \"Bulk apply of 1 IPv6 leases completed.\","
                + " \"arguments\": {\"failed-deleted-leases\": [{\"ip-address\": \"2001:db8:42:0:5054:ff:fed6:c2a9\","
                + " \"type\": \"IA_NA\", \"result\": 1, \"error-message\": \"lease database is read-only\"}]}}");
        DhcpException failure = assertThrows(DhcpException.class,
                () -> control.deleteLeases(List.of("2001:db8:42:0:5054:ff:fed6:c2a9"), List.of()));
        assertTrue(failure.getMessage().contains("2001:db8:42:0:5054:ff:fed6:c2a9")
                && failure.getMessage().contains("lease database is read-only"), failure.getMessage());
    }

    @Test
    void keaRefusingTheLeaseListFailsWithItsText() throws Exception {
        KeaControl control = scriptedKea("{\"result\": 2, \"text\": \"'lease6-get-all' command not supported.\"}");
        DhcpException failure = assertThrows(DhcpException.class,
                () -> control.deleteLeases(List.of("2001:db8:42:0:5054:ff:fed6:c2a9"), List.of()));
        assertTrue(failure.getMessage().contains("lease6-get-all") && failure.getMessage().contains("not supported"),
                failure.getMessage());
    }

    /** A Kea that answers each connection's one command with the next of {@code answers}, then closes it. */
    private KeaControl scriptedKea(String... answers) throws Exception {
        Path socket = dir.resolve("kea.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        kea = new Thread(() -> {
            for (String answer : answers) {
                try (SocketChannel client = server.accept()) {
                    JsonParser parser = JSON.createParser(Channels.newInputStream(client));
                    requests.add(parser.readValueAsTree());
                    client.write(java.nio.ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                } catch (Exception e) {
                    return;
                }
            }
        });
        kea.start();
        return new KeaControl(socket, Duration.ofSeconds(5));
    }

    private List<String> commands() {
        return requests.stream().map(r -> r.path("command").asText()).toList();
    }

    @AfterEach
    void stopKea() throws Exception {
        if (server != null) {
            server.close();
        }
        if (kea != null) {
            kea.join(5000);
        }
    }
}
