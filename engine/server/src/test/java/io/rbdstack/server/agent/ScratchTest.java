package io.rbdstack.server.agent;
import org.junit.jupiter.api.Test;
class ScratchTest {
    @Test
    void t() throws Exception {
        var l = new AgentListener(ListenerConfig.plain("127.0.0.1", 0), (t, h) -> java.util.Optional.of("h"), new RecordingStatusListener());
        l.start();
        var a = new RawAgent(l.port());
        a.handshake("x");
        var f = l.connections().send("h", new io.rbdstack.spi.agent.ReadyCommand(), java.time.Duration.ofSeconds(2));
        f.handle((r, e) -> { System.out.println("RESULT " + r + " " + e); if (e != null) e.printStackTrace(System.out); return null; }).join();
        l.close();
    }
}
