package io.rbdstack.server.agent;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.protocol.BoundedLineReader;
import io.rbdstack.protocol.MalformedMessageException;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.Welcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted agent on a plain socket, built from the engine/api types and the server's codec: it
 * sends exactly what a test tells it to (including nothing, or garbage), which the real agent
 * never would.
 */
final class RawAgent implements AutoCloseable {

    static final HostInfo HOST_INFO = new HostInfo(4, 2400, 8L << 30, "9.0.0", "7.2.0", true);

    private final Socket socket;
    private final OutputStream out;
    private final MessageCodec codec = MessageCodec.load(getClass().getClassLoader());
    private final BlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();
    private volatile boolean endOfStream;

    RawAgent(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        Thread reader = new Thread(this::readUntilClosed, "raw-agent-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static Hello hello(String token) {
        return new Hello(token, "kvm-test", "test", HOST_INFO);
    }

    /** Sends a hello and returns the welcome. */
    Welcome handshake(String token) throws IOException {
        send(hello(token));
        return assertInstanceOf(Welcome.class, receive());
    }

    void send(AgentMessage message) throws IOException {
        sendRaw(codec.encode(message));
    }

    void sendLine(String json) throws IOException {
        sendRaw((json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next message from the server; fails the test after the await deadline. */
    AgentMessage receive() {
        try {
            AgentMessage message = received.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message from the server within the deadline");
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    <T extends AgentMessage> T receive(Class<T> type) {
        return assertInstanceOf(type, receive());
    }

    /** True once the server closed the connection. */
    boolean closedByServer() {
        return endOfStream;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readUntilClosed() {
        try {
            BoundedLineReader reader = new BoundedLineReader(socket.getInputStream(), AgentMessage.MAX_LINE_BYTES);
            byte[] line;
            while ((line = reader.readLine()) != null) {
                received.add(codec.decode(line));
            }
        } catch (IOException | MalformedMessageException e) {
            // the test closed the socket, or the server sent something broken: both end the stream
        } finally {
            endOfStream = true;
        }
    }
}
