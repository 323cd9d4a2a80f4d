package io.rbdstack.agent.dhcp;

import java.nio.file.Path;

/** {@code kea-dhcp6 -t <file>}: Kea's own verdict on a configuration file, without serving it. */
public final class KeaConfigCheck {

    private KeaConfigCheck() {
    }

    /** Passes quietly, or throws with Kea's output. */
    public static void check(Launcher launcher, Path file) throws InterruptedException {
        ToolRun.run(launcher.command("kea-dhcp6", "-t", file.toString()));
    }
}
