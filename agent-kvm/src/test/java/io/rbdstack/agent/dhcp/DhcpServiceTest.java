package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's lease store and socket for Kea, refused before anything on the host changes when unusable. */
class DhcpServiceTest {

    @TempDir
    Path dir;

    private static ApplyDhcpNetworkCommand with(String socket, String store) {
        ApplyDhcpNetworkCommand c = KeaConfigTest.seedNetwork();
        return new ApplyDhcpNetworkCommand(c.networkUuid(), c.bridge(), c.prefix(), c.gateway(), c.pool(), c.pdPool(),
                c.lifetimes(), c.macSources(), c.reservations(), socket, store);
    }

    @Test
    void aLeaseStoreOtherThanMemfileIsRefusedNamingWhatRuns() {
        DhcpService service = new DhcpService(DhcpSettings.of(dir.resolve("dhcp"), null));
        DhcpNetworkAnswer refused = service.apply(with(null, "mysql"));
        assertFalse(refused.success());
        assertTrue(refused.details().contains("lease database type 'mysql' is not one this agent runs (only memfile)"),
                refused.details());
        assertFalse(Files.exists(dir.resolve("dhcp")), "nothing written");
    }

    @Test
    void aControlSocketThatIsNoUnixSocketPathIsRefused() {
        DhcpService service = new DhcpService(DhcpSettings.of(dir.resolve("dhcp"), null));
        DhcpNetworkAnswer relative = service.apply(with("kea.sock", "memfile"));
        assertFalse(relative.success());
        assertTrue(relative.details().contains("control socket 'kea.sock' is not an absolute path"), relative.details());
        DhcpNetworkAnswer tooLong = service.apply(with("/" + "s".repeat(120), "memfile"));
        assertFalse(tooLong.success());
        assertTrue(tooLong.details().contains("at most 107 bytes"), tooLong.details());
    }
}
