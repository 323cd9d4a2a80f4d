package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import io.rbdstack.spi.agent.dhcp.DhcpPool;
import io.rbdstack.spi.agent.dhcp.DhcpReservation;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * scripts/bench-kea.sh: renders N reservations (default 10,000) in one network and applies them to a
 * running kea-dhcp6 in a network namespace through its control socket, timing each step, beside the
 * same config-set sent by socat (Kea's own parse and commit, no Java). Each round reserves other MACs,
 * so every apply is a real change.
 * usage: KeaBenchmark &lt;work dir&gt; [reservations] [rounds]
 */
public final class KeaBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:77::/64");

    private KeaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String id = "rbk" + UUID.randomUUID().toString().substring(0, 6);
        String network = UUID.randomUUID().toString();
        Files.createDirectories(dir);
        try (NetnsPair netns = new NetnsPair(id)) {
            DhcpSettings settings = new DhcpSettings(dir.resolve("dhcp"), dir.resolve("dhcp").resolve("kea6-ctrl.sock"),
                    netns.hostLauncher());
            DhcpService service = new DhcpService(settings);
            try {
                check(service.apply(command(network, id + "b", 0, 0)));
                KeaControl control = new KeaControl(settings.controlSocket(), Duration.ofSeconds(60));
                Path request = dir.resolve("config-set.json");
                System.out.printf("Load average at the start: %s%n", loadAverage());
                System.out.printf("| Round | Reservations | Check (ServedNetwork) | Jackson tree | Jackson write, socket form"
                        + " | Jackson write, file form | write the file | free the leases of %,d gone (none held) | ours"
                        + " (sum of these) | config-set (agent, streamed) | config-set (socat, same request: Kea alone)"
                        + " | dhcp.applyNetwork end to end, all NICs replaced | dhcp.applyNetwork end to end, one NIC"
                        + " replaced |%n|---|---|---|---|---|---|---|---|---|---|---|---|---|%n", count);
                List<Long> ours = new ArrayList<>();
                List<Long> keaAlone = new ArrayList<>();
                List<Long> endToEnd = new ArrayList<>();
                List<Long> oneNic = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    ApplyDhcpNetworkCommand command = command(network, id + "b", count, round);
                    long t0 = System.nanoTime();
                    ServedNetwork served = ServedNetwork.of(command);
                    long t1 = System.nanoTime();
                    ObjectNode config = KeaConfig.render(settings.keaFiles(), List.of(served));
                    long t2 = System.nanoTime();
                    // What KeaControl streams into the socket, written to nowhere: its share of the agent's config-set.
                    JSON.writeValue(OutputStream.nullOutputStream(), JSON.createObjectNode().put("command", "config-set")
                            .set("arguments", config));
                    long t3 = System.nanoTime();
                    byte[] file = KeaProcess.bytes(config);
                    long t4 = System.nanoTime();
                    KeaFiles.writePrivate(settings.keaFiles().config(), file);
                    long t5 = System.nanoTime();
                    // Leases of 10,000 reservations that went (none held: the cost of asking which are).
                    control.deleteLeases(served.reservations().stream().map(ServedNetwork.Reservation::address).toList(),
                            List.of());
                    long t6 = System.nanoTime();
                    control.set(config);
                    long t7 = System.nanoTime();
                    // The reference: the same configuration handed to Kea by socat, no Java on the path.
                    Files.write(request, JSON.writeValueAsBytes(JSON.createObjectNode().put("command", "config-set")
                            .set("arguments", config)));
                    long t8 = System.nanoTime();
                    String answer = socat(settings.controlSocket(), request);
                    long t9 = System.nanoTime();
                    if (JSON.readTree(answer).path("result").asInt(-1) != 0) {
                        throw new IllegalStateException("socat's config-set: " + answer);
                    }
                    // The agent's own path, with other MACs again: check, render, set, write, free the
                    // leases of the replaced reservations, radvd.
                    ApplyDhcpNetworkCommand replaced = command(network, id + "b", count, round + rounds);
                    long t10 = System.nanoTime();
                    check(service.apply(replaced));
                    long t11 = System.nanoTime();
                    // The everyday change: the same 10,000 but one NIC (another MAC for the first address).
                    check(service.apply(withFirstNicReplaced(replaced)));
                    long t12 = System.nanoTime();
                    ours.add(t6 - t0);
                    keaAlone.add(t9 - t8);
                    endToEnd.add(t11 - t10);
                    oneNic.add(t12 - t11);
                    System.out.printf("| %d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", round,
                            KeaConfig.nicReservations(config), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3),
                            ms(t5 - t4), ms(t6 - t5), ms(t6 - t0), ms(t7 - t6), ms(t9 - t8), ms(t11 - t10), ms(t12 - t11));
                }
                System.out.printf("Load average at the end: %s%n", loadAverage());
                System.out.printf("End to end, all NICs replaced: %s; rounds over 1 s: %d of %d%n", spread(endToEnd),
                        endToEnd.stream().filter(t -> t > 1_000_000_000L).count(), endToEnd.size());
                System.out.printf("Ours (the agent's steps, Kea's excluded): %s%n", spread(ours));
                System.out.printf("Kea alone (socat config-set): %s%n", spread(keaAlone));
                System.out.printf("End to end, one NIC replaced: %s; rounds over 1 s: %d of %d%n", spread(oneNic),
                        oneNic.stream().filter(t -> t > 1_000_000_000L).count(), oneNic.size());
            } finally {
                service.stop();
            }
        }
    }

    private static ApplyDhcpNetworkCommand command(String network, String bridge, int count, int seed) {
        List<DhcpReservation> reservations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MacAddress mac = new MacAddress(new byte[] {0x02, (byte) seed, 0, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            reservations.add(new DhcpReservation(mac.toString(), Eui64.address(mac, PREFIX), null));
        }
        return new ApplyDhcpNetworkCommand(network, bridge, PREFIX.toString(), "2001:db8:77::1",
                new DhcpPool("2001:db8:77::1:0", "2001:db8:77::1:ffff"), null, new DhcpLifetimes(1000, 2000, 3000, 4000),
                List.of("duid"), reservations);
    }

    private static ApplyDhcpNetworkCommand withFirstNicReplaced(ApplyDhcpNetworkCommand command) {
        List<DhcpReservation> reservations = new ArrayList<>(command.reservations());
        MacAddress other = new MacAddress(new byte[] {0x02, (byte) 0xee, 0, 0, 0, 1});
        reservations.set(0, new DhcpReservation(other.toString(), reservations.get(0).ip6Address(), null));
        return new ApplyDhcpNetworkCommand(command.networkUuid(), command.bridge(), command.prefix(), command.gateway(),
                command.pool(), command.pdPool(), command.lifetimes(), command.macSources(), reservations);
    }

    private static void check(DhcpNetworkAnswer answer) {
        if (!answer.success()) {
            throw new IllegalStateException(answer.details());
        }
    }

    /** Kea's answer to the request file, sent as Kea's documentation does: socat to the unix socket. */
    private static String socat(Path socket, Path request) throws Exception {
        Process process = new ProcessBuilder("socat", "-t", "60", "STDIO", "UNIX-CONNECT:" + socket)
                .redirectInput(request.toFile()).redirectErrorStream(true).start();
        String answer = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("socat failed: " + answer);
        }
        return answer;
    }

    /** min-max and median of a column. */
    private static String spread(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return ms(sorted.get(0)) + " - " + ms(sorted.get(sorted.size() - 1)) + ", median " + ms(sorted.get(sorted.size() / 2));
    }

    private static String loadAverage() throws java.io.IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min; " + Runtime.getRuntime().availableProcessors()
                + " cores)";
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
