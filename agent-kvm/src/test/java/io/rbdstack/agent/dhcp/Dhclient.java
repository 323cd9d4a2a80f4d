package io.rbdstack.agent.dhcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISC dhclient -6 in the guest namespace, in the foreground with files of its own (a fresh lease file,
 * so a fresh DUID from the current MAC; /bin/true as its script, so it changes nothing but its lease
 * file), stopped once it has what it asked for or the wait is over.
 */
final class Dhclient {

    private static final Pattern ADDRESS = Pattern.compile("iaaddr ([0-9a-f:]+) \\{");
    private static final Pattern PREFIX = Pattern.compile("iaprefix ([0-9a-f:]+/\\d+) \\{");

    private final String namespace;
    private final Path dir;
    private int runs;

    Dhclient(String namespace, Path dir) {
        this.namespace = namespace;
        this.dir = dir;
    }

    /** The address the server gave (an IA_NA), or none within {@code wait}. {@code duidType} is LL or LLT. */
    Optional<String> address(String duidType, Duration wait) throws Exception {
        return lease(List.of("-D", duidType), ADDRESS, wait);
    }

    /** The delegated prefix (an IA_PD alone, dhclient -P), or none within {@code wait}. */
    Optional<String> prefix(Duration wait) throws Exception {
        return lease(List.of("-D", "LL", "-P"), PREFIX, wait);
    }

    private Optional<String> lease(List<String> options, Pattern wanted, Duration wait) throws Exception {
        int run = ++runs;
        Path leases = dir.resolve("dhclient6-" + run + ".leases");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "dhclient", "-6", "-d", "-v"));
        command.addAll(options);
        command.addAll(List.of("-lf", leases.toString(), "-pf", dir.resolve("dhclient6-" + run + ".pid").toString(),
                "-sf", "/bin/true", "eth0"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dhclient6-" + run + ".log").toFile()).start();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                Optional<String> found = find(leases, wanted);
                if (found.isPresent()) {
                    return found;
                }
                Thread.sleep(100);
            }
            return find(leases, wanted);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static Optional<String> find(Path leases, Pattern wanted) throws IOException {
        if (!Files.exists(leases)) {
            return Optional.empty();
        }
        Matcher matcher = wanted.matcher(Files.readString(leases, StandardCharsets.UTF_8));
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1);
        }
        // dhclient writes addresses in full (2001:db8:42:0:…); compare them in RFC 5952 form.
        if (last == null) {
            return Optional.empty();
        }
        int slash = last.indexOf('/');
        String address = slash < 0 ? last : last.substring(0, slash);
        return Optional.of(Ipv6Prefix.Ipv6Text.format(Ipv6Prefix.Ipv6Text.parse(address))
                + (slash < 0 ? "" : last.substring(slash)));
    }
}
