package io.rbdstack.agent.connect;

import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.protocol.BoundedLineReader;
import io.rbdstack.protocol.MalformedMessageException;
import io.rbdstack.protocol.tls.TlsContexts;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.CertificateIssued;
import io.rbdstack.spi.agent.CertificateRequest;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.Rejected;
import io.rbdstack.spi.agent.Welcome;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection to the management server: its socket, the handshake and the read loop. Any
 * thread may {@link #send}; one thread reads.
 */
final class ServerSession implements MessageSender, AutoCloseable {

    /** What the read loop does with each message; a ProtocolException ends the connection. */
    interface MessageHandler {
        void onMessage(AgentMessage message) throws ProtocolException;

        void onUnreadable(MalformedMessageException e);
    }

    private final Socket socket;
    private final MessageCodec codec;
    private final BoundedLineReader reader;
    private final OutputStream out; // guarded by itself
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServerSession(Socket socket, MessageCodec codec) throws IOException {
        this.socket = socket;
        this.codec = codec;
        this.reader = new BoundedLineReader(socket.getInputStream(), AgentMessage.MAX_LINE_BYTES);
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** How one connection is secured: not at all, or TLS with a context and the name the server's certificate must carry. */
    record Security(Optional<SSLContext> tls, String serverName) {
        static Security plain() {
            return new Security(Optional.empty(), "");
        }
    }

    /** Connects (and completes TLS, verifying that the certificate carries the expected name). */
    static ServerSession open(ClientConfig config, MessageCodec codec, Security security) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.connect(new InetSocketAddress(config.host(), config.port()),
                    Math.toIntExact(config.connectTimeout().toMillis()));
            plain.setSoTimeout(Math.toIntExact(config.handshakeTimeout().toMillis()));
            Socket socket = plain;
            if (security.tls().isPresent()) {
                // The name given here is what the certificate is checked against (and the SNI sent).
                SSLSocket tls = (SSLSocket) security.tls().get().getSocketFactory()
                        .createSocket(plain, security.serverName(), config.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setProtocols(new String[] {TlsContexts.PROTOCOL});
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                socket = tls;
            }
            return new ServerSession(socket, codec);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** The management server's certificate chain; empty on plain TCP. */
    X509Certificate[] serverChain() throws IOException {
        if (socket instanceof SSLSocket tls) {
            java.security.cert.Certificate[] chain = tls.getSession().getPeerCertificates();
            return java.util.Arrays.copyOf(chain, chain.length, X509Certificate[].class);
        }
        return new X509Certificate[0];
    }

    /** The bootstrap: sends the certificate request and waits for the certificate. */
    CertificateIssued requestCertificate(CertificateRequest request) throws IOException, RejectedByServerException {
        send(request);
        AgentMessage reply = readReply("certificate request");
        if (reply instanceof CertificateIssued issued) {
            return issued;
        }
        throw new ProtocolException("expected certificateIssued, got " + reply.getClass().getSimpleName());
    }

    /** Sends the hello and waits (up to the handshake timeout) for the welcome. */
    Welcome handshake(Hello hello) throws IOException, RejectedByServerException {
        send(hello);
        AgentMessage reply = readReply("hello");
        if (reply instanceof Welcome welcome) {
            return welcome;
        }
        throw new ProtocolException("expected welcome, got " + reply.getClass().getSimpleName().toLowerCase());
    }

    /** The server's one reply to a first message; a rejection is thrown. */
    private AgentMessage readReply(String to) throws IOException, RejectedByServerException {
        byte[] line = reader.readLine();
        if (line == null) {
            throw new EOFException("the management server closed the connection before answering the " + to);
        }
        AgentMessage reply;
        try {
            reply = codec.decode(line);
        } catch (MalformedMessageException e) {
            throw new ProtocolException("unreadable reply to the " + to + ": " + e.getMessage());
        }
        if (reply instanceof Rejected rejected) {
            throw new RejectedByServerException(rejected.reason());
        }
        return reply;
    }

    /**
     * Reads until the connection ends.
     *
     * @param silenceLimit with heartbeats a pong arrives every interval, so this much silence
     *                     means the server (or the path to it) is gone, even without a TCP reset
     * @return why the connection ended
     */
    String readUntilClosed(Duration silenceLimit, MessageHandler handler) {
        try {
            socket.setSoTimeout(Math.toIntExact(silenceLimit.toMillis()));
            byte[] line;
            while ((line = reader.readLine()) != null) {
                if (isBlank(line)) {
                    continue;
                }
                AgentMessage message;
                try {
                    message = codec.decode(line);
                } catch (MalformedMessageException e) {
                    handler.onUnreadable(e);
                    continue;
                }
                handler.onMessage(message);
            }
            return "connection closed by the management server";
        } catch (SocketTimeoutException e) {
            return "no message from the management server for " + silenceLimit.toMillis() + " ms";
        } catch (ProtocolException | BoundedLineReader.LineTooLongException e) {
            return e.getMessage();
        } catch (IOException e) {
            return closed.get() ? "connection closed by the agent" : "connection error: " + e.getMessage();
        } finally {
            close();
        }
    }

    @Override
    public void send(AgentMessage message) throws IOException {
        if (closed.get()) {
            throw new IOException("the connection to the management server is closed");
        }
        byte[] line = codec.encode(message);
        synchronized (out) {
            out.write(line);
            out.flush();
        }
    }

    boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to do with a socket that will not close
            }
        }
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
