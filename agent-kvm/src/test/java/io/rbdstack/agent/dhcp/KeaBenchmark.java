package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import io.rbdstack.spi.agent.dhcp.DhcpPool;
import io.rbdstack.spi.agent.dhcp.DhcpReservation;
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
                System.out.printf("| Round | Reservations | Render (check + Jackson tree) | Jackson write (file form) | config-set"
                        + " (agent, streamed) | config-set (socat, same request: Kea alone) | write the file | free the leases"
                        + " of %,d gone (none held) | dhcp.applyNetwork end to end, all NICs replaced | ours (end to end"
                        + " minus Kea alone) | dhcp.applyNetwork end to end, one NIC replaced |%n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|%n", count);
                List<Long> endToEnd = new ArrayList<>();
                List<Long> keaAlone = new ArrayList<>();
                List<Long> ours = new ArrayList<>();
                List<Long> oneNic = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    ApplyDhcpNetworkCommand command = command(network, id + "b", count, round);
                    long t0 = System.nanoTime();
                    ServedNetwork served = ServedNetwork.of(command);
                    ObjectNode config = KeaConfig.render(settings.keaFiles(), List.of(served));
                    long t1 = System.nanoTime();
                    byte[] file = KeaProcess.bytes(config);
                    long t2 = System.nanoTime();
                    control.set(config);
                    long t3 = System.nanoTime();
                    // The reference: the same configuration handed to Kea by socat, no Java on the path.
                    Files.write(request, JSON.writeValueAsBytes(JSON.createObjectNode().put("command", "config-set")
                            .set("arguments", config)));
                    long t4 = System.nanoTime();
                    String answer = socat(settings.controlSocket(), request);
                    long t5 = System.nanoTime();
                    if (JSON.readTree(answer).path("result").asInt(-1) != 0) {
                        throw new IllegalStateException("socat's config-set: " + answer);
                    }
                    KeaFiles.writePrivate(settings.keaFiles().config(), file);
                    long t6 = System.nanoTime();
                    // Leases of 10,000 reservations that went (none held: the cost of asking which are).
                    control.deleteLeases(served.reservations().stream().map(ServedNetwork.Reservation::address).toList(),
                            List.of());
                    long t7 = System.nanoTime();
                    // The agent's own path, with other MACs again: check, render, set, write, free the
                    // leases of the replaced reservations, radvd.
                    ApplyDhcpNetworkCommand replaced = command(network, id + "b", count, round + rounds);
                    check(service.apply(replaced));
                    long t8 = System.nanoTime();
                    // The everyday change: the same 10,000 but one NIC (another MAC for the first address).
                    check(service.apply(withFirstNicReplaced(replaced)));
                    long t9 = System.nanoTime();
                    endToEnd.add(ms(t7, t8));
                    keaAlone.add(ms(t4, t5));
                    ours.add(ms(t7, t8) - ms(t4, t5));
                    oneNic.add(ms(t8, t9));
                    System.out.printf("| %d | %,d | %d ms | %d ms | %d ms | %d ms | %d ms | %d ms | %d ms | %d ms | %d ms |%n",
                            round, KeaConfig.nicReservations(config), ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t4, t5),
                            ms(t5, t6), ms(t6, t7), ms(t7, t8), ms(t7, t8) - ms(t4, t5), ms(t8, t9));
                }
                System.out.printf("Load average at the end: %s%n", loadAverage());
                System.out.printf("End to end, all NICs replaced: %s; rounds over 1 s: %d of %d%n", spread(endToEnd),
                        endToEnd.stream().filter(t -> t > 1000).count(), endToEnd.size());
                System.out.printf("Kea alone (socat config-set): %s%n", spread(keaAlone));
                System.out.printf("Ours (end to end minus Kea alone, same round): %s%n", spread(ours));
                System.out.printf("End to end, one NIC replaced: %s%n", spread(oneNic));
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

    /** min-max and median of a column, in ms. */
    private static String spread(List<Long> times) {
        List<Long> sorted = times.stream().sorted().toList();
        return String.format("%d-%d ms, median %d ms", sorted.get(0), sorted.get(sorted.size() - 1),
                sorted.get(sorted.size() / 2));
    }

    private static String loadAverage() throws java.io.IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min; " + Runtime.getRuntime().availableProcessors()
                + " cores)";
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
