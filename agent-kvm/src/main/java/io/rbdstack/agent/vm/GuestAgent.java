package io.rbdstack.agent.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtErrors;
import io.rbdstack.spi.agent.vm.QuiesceAnswer;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * Freezes and thaws a guest's file systems through its qemu-guest-agent ({@code guest-fsfreeze-freeze}
 * / {@code -thaw} over libvirt's agent channel), and says plainly when the guest has no agent.
 */
public final class GuestAgent {

    public static final String NO_AGENT = "the guest has no qemu-guest-agent; the snapshot is crash-consistent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LibvirtConnection libvirt;
    private final OwnDomains own;

    public GuestAgent(LibvirtConnection libvirt, OwnDomains own) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
        this.own = Objects.requireNonNull(own, "own");
    }

    public QuiesceAnswer quiesce(String name, boolean freeze, Duration timeout) throws LibvirtException {
        String command = "{\"execute\":\"" + (freeze ? "guest-fsfreeze-freeze" : "guest-fsfreeze-thaw") + "\"}";
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        String reply;
        try {
            reply = libvirt.call(connect -> own.require(connect, name).domain().qemuAgentCommand(command, seconds, 0));
        } catch (LibvirtException e) {
            ErrorNumber code = LibvirtErrors.code(e);
            if (code == ErrorNumber.VIR_ERR_AGENT_UNRESPONSIVE || code == ErrorNumber.VIR_ERR_AGENT_UNSYNCED) {
                return new QuiesceAnswer(true, NO_AGENT, false, 0);
            }
            throw e;
        }
        try {
            JsonNode filesystems = JSON.readTree(reply).path("return");
            return new QuiesceAnswer(true, null, true, filesystems.asInt(0));
        } catch (IOException e) {
            return new QuiesceAnswer(false, "the guest agent's answer is not JSON: " + e.getMessage(), true, 0);
        }
    }
}
