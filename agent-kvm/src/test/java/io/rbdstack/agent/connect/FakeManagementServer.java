package io.rbdstack.agent.connect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A scripted server on a plain socket, for what the real listener never does (stay silent, send unknown commands). */
final class FakeManagementServer implements AutoCloseable {

    private final ServerSocket serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    FakeManagementServer() throws IOException {
        serverSocket.setSoTimeout(Math.toIntExact(Await.DEADLINE.toMillis()));
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Waits for the next agent connection; earlier ones are dropped. */
    void accept() throws IOException {
        if (socket != null) {
            socket.close();
        }
        socket = serverSocket.accept();
        socket.setSoTimeout(Math.toIntExact(Await.DEADLINE.toMillis()));
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** The next line whose type is not ping (pings are what this server ignores). */
    String readLineSkippingPings() throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null || !line.startsWith("{\"type\":\"ping\"")) {
                return line;
            }
        }
    }

    /** True once the agent has closed this connection (reads until end of stream, ignoring content). */
    boolean agentClosed() {
        try {
            while (in.readLine() != null) {
                // discard pings
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    void writeLine(String json) throws IOException {
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        serverSocket.close();
    }
}
