package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.testplugin.ReverseTextCommand;
import io.rbdstack.agent.testplugin.ReversedTextAnswer;
import io.rbdstack.spi.agent.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that exists only in test sources ({@code io.rbdstack.agent.testplugin}) adds a command,
 * its answer and its agent-side handler through META-INF/services alone. The real management
 * server sends the command to the real agent over the real protocol and gets the typed answer back.
 */
class ContributedCommandIT {

    @TempDir
    static Path dir;
    static OneHostCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theServerSendsAPluginsCommandAndGetsItsTypedAnswer() throws Exception {
        try (OneHostCloud.JoinedHost host = cloud.addHost("kvm-plugin", dir.resolve("kvm-plugin"))) {
            Answer answer = cloud.server.server.agents()
                    .send(host.hostId, new ReverseTextCommand("stressed"), Duration.ofSeconds(10))
                    .get(10, TimeUnit.SECONDS);

            // The handler ran on that agent: it knows the host name the agent was configured with.
            assertEquals(new ReversedTextAnswer(true, null, "desserts", "kvm-plugin"),
                    assertInstanceOf(ReversedTextAnswer.class, answer));
        }
    }
}
