package io.rbdstack.agent.dhcp;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The agent's DHCPv6 settings: its DHCP directory ({@code dhcp.dir} in agent.properties, default
 * /var/lib/rbdstack/dhcp) for Kea's and radvd's files, Kea's control socket ({@code
 * dhcp.control.socket}, default {@code <dhcp.dir>/kea6-ctrl.sock}), and how the daemons are launched.
 * {@code ownSocket} says whether the host chose its socket itself: only then does it keep it when the
 * server sends its {@code dhcpv6.kea.control.socket}.
 */
public record DhcpSettings(Path dir, Path controlSocket, Launcher launcher, boolean ownSocket) {

    public static final Path DEFAULT_DIR = Path.of("/var/lib/rbdstack/dhcp");
    public static final String SOCKET_NAME = "kea6-ctrl.sock";

    public DhcpSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(launcher, "launcher");
    }

    /** Settings whose control socket the host chose: the server's does not replace it. */
    public DhcpSettings(Path dir, Path controlSocket, Launcher launcher) {
        this(dir, controlSocket, launcher, true);
    }

    /** {@code controlSocket} null: the default one, which the server's setting replaces. */
    public static DhcpSettings of(Path dir, Path controlSocket) {
        return new DhcpSettings(dir, controlSocket == null ? dir.resolve(SOCKET_NAME) : controlSocket,
                Launcher.direct(), controlSocket != null);
    }

    public KeaFiles keaFiles() {
        return new KeaFiles(dir, controlSocket);
    }
}
