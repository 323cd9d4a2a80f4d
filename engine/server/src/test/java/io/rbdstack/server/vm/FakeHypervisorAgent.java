package io.rbdstack.server.vm;

import io.rbdstack.protocol.BoundedLineReader;
import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.Ping;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import io.rbdstack.spi.agent.Welcome;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import io.rbdstack.spi.agent.store.ImageStoreAnswer;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import io.rbdstack.spi.agent.vm.AttachDiskCommand;
import io.rbdstack.spi.agent.vm.DetachDiskCommand;
import io.rbdstack.spi.agent.vm.PlugNicCommand;
import io.rbdstack.spi.agent.vm.QuiesceAnswer;
import io.rbdstack.spi.agent.vm.QuiesceVmCommand;
import io.rbdstack.spi.agent.vm.StartVmCommand;
import io.rbdstack.spi.agent.vm.StopVmCommand;
import io.rbdstack.spi.agent.vm.UnplugNicCommand;
import io.rbdstack.spi.agent.vm.VmPowerState;
import io.rbdstack.spi.agent.vm.VmStateAnswer;
import io.rbdstack.spi.agent.vm.VmStatesAnswer;
import io.rbdstack.spi.agent.vm.VmStatesCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A protocol-level fake of a hypervisor agent, for the server's VM orchestration tests: it connects
 * over plain TCP with a host token, keeps its host Up with pings, and answers the vm.* commands as
 * the KVM agent's contract says (a started VM is reported running until stopped or
 * {@link #vanish vanished}; NICs plug and unplug) and takes the dhcp.* commands as Kea would. It boots nothing: what
 * it proves is what the server sends and how it records the answers. It answers store.test with {@link #storeAnswer}
 * (the image store tests use it too); anything else it is sent (other storage commands) it refuses.
 */
public final class FakeHypervisorAgent implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final MessageCodec codec = MessageCodec.load(getClass().getClassLoader());
    /** Every command received, in order. */
    final List<AgentCommand> received = new CopyOnWriteArrayList<>();
    /** The domains this host runs: VM uuid to instance name. */
    final Map<String, String> running = new ConcurrentHashMap<>();
    /** When set, the next vm.start fails with this text. */
    volatile String failNextStart;
    /** When set, the next vm.plugNic fails with this text. */
    volatile String failNextPlug;
    /** Whether the guests have a qemu-guest-agent: vm.quiesce freezes them, or answers that there is none. */
    volatile boolean guestAgent = true;
    /** Where each vm.quiesce is written as "freeze &lt;vm&gt;" or "thaw &lt;vm&gt;", to order it among other calls. */
    volatile List<String> journal = new CopyOnWriteArrayList<>();
    /** What store.test is answered with: a usable store of 1 TiB, 1 GiB used, unless a test sets otherwise. */
    public volatile ImageStoreAnswer storeAnswer = new ImageStoreAnswer(true, null, 1L << 40, 1L << 30);
    private volatile boolean closed;

    public FakeHypervisorAgent(int port, String token, String hostname, long memoryBytes) throws IOException {
        this(port, token, hostname, memoryBytes, Map.of());
    }

    /** An agent that already runs {@code domains} (VM uuid to instance name) when it connects: a reconnect. */
    FakeHypervisorAgent(int port, String token, String hostname, long memoryBytes, Map<String, String> domains)
            throws IOException {
        running.putAll(domains);
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        BoundedLineReader reader = new BoundedLineReader(socket.getInputStream(), AgentMessage.MAX_LINE_BYTES);
        send(new Hello(token, hostname, "test", new HostInfo(4, 2000, memoryBytes, "9.0.0", "7.2.0", true, "qemu")));
        try {
            if (!(codec.decode(reader.readLine()) instanceof Welcome)) {
                throw new IOException("no welcome");
            }
        } catch (io.rbdstack.protocol.MalformedMessageException e) {
            throw new IOException(e);
        }
        daemon("fake-agent-reader-" + hostname, () -> readUntilClosed(reader));
        daemon("fake-agent-pinger-" + hostname, this::pingUntilClosed);
    }

    /** The domain dies behind the server's back (as a killed qemu would). */
    void vanish(String vmUuid) {
        running.remove(vmUuid);
    }

    /** As the KVM agent when its graceful stop begins: tells the server (a {@code stopping} message), stays connected. */
    void announceStopping() throws IOException {
        send(new io.rbdstack.spi.agent.StoppingNotice(30_000));
    }

    public <T extends AgentCommand> List<T> received(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private Answer answer(AgentCommand command) {
        if (command instanceof StartVmCommand start) {
            String failure = failNextStart;
            if (failure != null) {
                failNextStart = null;
                return VmStateAnswer.failed(failure);
            }
            running.put(start.vmUuid(), start.instanceName());
            return new VmStateAnswer(true, null, VmPowerState.POWER_ON, "qemu", false, "/fake/" + start.instanceName());
        }
        if (command instanceof StopVmCommand stop) {
            running.remove(stop.vmUuid());
            return new VmStateAnswer(true, null, VmPowerState.POWER_OFF, "qemu", stop.forced(), null);
        }
        if (command instanceof VmStatesCommand) {
            return new VmStatesAnswer(true, null, running.entrySet().stream().map(e ->
                    new VmStatesAnswer.VmReport(e.getKey(), e.getValue(), VmPowerState.POWER_ON)).toList());
        }
        if (command instanceof QuiesceVmCommand quiesce) {
            journal.add((quiesce.freeze() ? "freeze " : "thaw ") + quiesce.vmUuid());
            return new QuiesceAnswer(true, null, guestAgent, guestAgent ? 1 : 0);
        }
        if (command instanceof ApplyDhcpNetworkCommand apply) {
            return new DhcpNetworkAnswer(true, null, 1, apply.reservations().size());
        }
        if (command instanceof RemoveDhcpNetworkCommand) {
            return new DhcpNetworkAnswer(true, null, 0, 0);
        }
        if (command instanceof TestImageStoreCommand) {
            return storeAnswer;
        }
        if (command instanceof ServeDhcpNetworksCommand serve) {
            return new DhcpNetworkAnswer(true, null, serve.networks().size(),
                    serve.networks().stream().mapToInt(n -> n.reservations().size()).sum());
        }
        if (command instanceof PlugNicCommand) {
            String failure = failNextPlug;
            failNextPlug = null;
            return new GenericAnswer(failure == null, failure);
        }
        if (command instanceof UnplugNicCommand) {
            return new GenericAnswer(true, null);
        }
        if (command instanceof AttachDiskCommand || command instanceof DetachDiskCommand) {
            return new GenericAnswer(true, null);
        }
        return new GenericAnswer(false, "the fake hypervisor agent does not run " + command.getClass().getSimpleName());
    }

    private synchronized void send(AgentMessage message) throws IOException {
        out.write(codec.encode(message));
        out.flush();
    }

    private void readUntilClosed(BoundedLineReader reader) {
        try {
            byte[] line;
            while ((line = reader.readLine()) != null) {
                if (codec.decode(line) instanceof Request request) {
                    received.add(request.command());
                    send(new Response(request.requestId(), answer(request.command())));
                }
            }
        } catch (IOException | io.rbdstack.protocol.MalformedMessageException e) {
            // closed by the test or the server
        }
    }

    private void pingUntilClosed() {
        long sequence = 0;
        try {
            while (!closed) {
                send(new Ping(++sequence));
                Thread.sleep(300);
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
