package io.rbdstack.agent.dhcp;

import java.util.ArrayList;
import java.util.List;

/**
 * How the agent runs a daemon or tool: directly (a host), or with a prefix such as
 * {@code ip netns exec <ns>} (the tests serve guests in network namespaces). Never through a shell.
 */
public record Launcher(List<String> prefix) {

    public Launcher {
        prefix = List.copyOf(prefix);
    }

    public static Launcher direct() {
        return new Launcher(List.of());
    }

    public List<String> command(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(args));
        return command;
    }
}
