package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.assertNotBackedUp;
import static io.rbdstack.agent.fixtures.OneHostCloud.job;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.AgentProcess;
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.AgentUnavailableException;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.EchoAnswer;
import io.rbdstack.spi.agent.EchoCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's graceful stop (issue 14), through the API on the real server, agent process, Ceph and a directory
 * image store: SIGTERM to the agent in the middle of a backup fails the backup job promptly with a message saying
 * the agent stopped, leaves no complete-looking backup, the agent exits by itself well within its grace, and once
 * the agent is back the same backup succeeds. The agent tells the server it is stopping, so a command during the stop
 * is not sent to it. And with short commands: one running at SIGTERM answers, one sent during the stop is not
 * sent, and a second SIGTERM stops at once.
 */
class AgentGracefulStopIT {

    private static final int WRITTEN_MIB = 32;
    /** librbd's read limit on the snapshot's image, so the backup is still running when the signal comes. */
    private static final long BACKUP_READ_BYTES_PER_SECOND = 8L << 20;
    private static final int GRACE_SECONDS = 10;
    /** The job must fail within this of the signal: the transfer is interrupted at once, not after the grace. */
    private static final Duration FAIL_BOUND = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static BackupCalls calls;
    static IoCTX io;
    static Path store;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir.resolve("cloud"), List.of("shutdown.grace.seconds=" + GRACE_SECONDS));
        admin = cloud.admin();
        calls = new BackupCalls(admin);
        io = cloud.cephAdmin().ioCtx();
        cloud.createdRbdPool("stop-pool", cloud.ceph.limitedUser(), "zone");
        store = Files.createDirectories(dir.resolve("store"));
        ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "stop-store", "url",
                store.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void sigtermMidBackupFailsItsJobPromptlyTheAgentExitsWithinItsGraceAndARetrySucceeds() throws Exception {
        String offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"),
                "createDiskOffering").get("diskoffering").get("id").asText();
        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        for (int mib = 0; mib < WRITTEN_MIB; mib += 4) {
            RbdData.write(io, volumeId, (long) mib << 20, RbdData.bytes(4 << 20, 77_000 + mib));
        }
        String snapshotId = calls.snapshot(volumeId);
        String image = cloud.ceph.pool() + "/" + volumeId;
        cloud.cluster.cli("rbd", "config", "image", "set", image, "rbd_qos_read_bps_limit",
                Long.toString(BACKUP_READ_BYTES_PER_SECOND));

        cloud.stopAgent(); // the host's agent moves into a process of its own, which gets the signal
        try {
            try (AgentProcess agent = AgentProcess.start(cloud.agentProperties(), dir.resolve("agent-stopped.log"))) {
                cloud.awaitHostState("Up");
                String jobId = ok(admin.call("backupSnapshot", "id", snapshotId), "backupSnapshot").get("jobid")
                        .asText();
                Deadline.await("the backup's first bytes on the store", Duration.ofSeconds(60),
                        () -> files(".part").stream().anyMatch(p -> p.toFile().length() > 0));
                assertEquals(0, job(admin, jobId).get("jobstatus").asInt(), "the backup was still running at the signal");

                agent.terminate();
                long signalled = System.nanoTime();
                JsonNode job;
                do {
                    Thread.sleep(20);
                    job = job(admin, jobId);
                } while (job.get("jobstatus").asInt() == 0 && System.nanoTime() - signalled < 2 * FAIL_BOUND.toNanos());
                long failedMillis = (System.nanoTime() - signalled) / 1_000_000;
                // The agent is still draining the interrupted backup's reads, and told the server it is stopping: a
                // command now is not sent to it, and with no other Up host its job fails at once naming the host.
                long created = System.nanoTime();
                JsonNode create = admin.awaitJob(ok(admin.call("createVolume", "zoneid", cloud.zoneId,
                        "diskofferingid", offering, "size", "1", "name", "during-stop"), "createVolume").get("jobid")
                        .asText());
                long createMillis = (System.nanoTime() - created) / 1_000_000;
                OptionalInt exit = agent.awaitExit(Duration.ofSeconds(GRACE_SECONDS + 5));
                long exitedMillis = (System.nanoTime() - signalled) / 1_000_000;
                String error = job.get("jobstatus").asInt() == 2 ? job.get("jobresult").get("errortext").asText() : "";
                System.out.println("AgentGracefulStopIT: SIGTERM mid-backup: the job failed " + failedMillis
                        + " ms later, the agent exited " + exitedMillis + " ms later (grace " + GRACE_SECONDS + " s): "
                        + error);

                System.out.println("AgentGracefulStopIT: createVolume sent during the stop failed " + createMillis
                        + " ms after it was sent: " + create.path("jobresult").path("errortext").asText());
                assertEquals(2, create.get("jobstatus").asInt(), "no host for it: " + create);
                assertTrue(create.get("jobresult").get("errortext").asText().contains("No host is Up in zone "
                        + cloud.zoneId + " to run the storage command (host(s) " + cloud.hostId + " stopping: their"
                        + " agents take no new commands until they connect again)"), create.toString());
                assertTrue(createMillis < FAIL_BOUND.toMillis(), "no wait for a timeout: " + createMillis + " ms");
                assertEquals(2, job.get("jobstatus").asInt(), "the job failed: " + job);
                assertTrue(failedMillis < FAIL_BOUND.toMillis(), "within " + FAIL_BOUND.toSeconds() + " s: "
                        + failedMillis + " ms");
                assertTrue(error.contains("the agent stopped"), "the error names the agent's stop: " + error);
                assertEquals(OptionalInt.of(0), exit, "the agent exited by itself, cleanly, within its grace");
                assertTrue(exitedMillis < GRACE_SECONDS * 1000L, "before the grace ran out: " + exitedMillis + " ms");
                String log = Files.readString(agent.log());
                log.lines().filter(line -> line.contains("Stopping") || line.contains("interrupted")
                        || line.contains("stopped")).forEach(line -> System.out.println("AgentGracefulStopIT: agent: "
                        + line));
                assertTrue(log.contains("rbdstack agent stopped"), "libvirt and librados closed after the client");
                assertTrue(log.contains("Told the management server that this agent is stopping"), "the notice went");
                // Only the test's own create counts: a command of the server's own (a VM sync, a pool definition) may cross
                // the notice on the wire and be refused, as the protocol allows.
                assertFalse(log.contains("(CreateRbdImageCommand) refused: the agent is stopping"),
                        "the create never reached the agent");
                assertFalse(log.contains("still running after the"), "nothing outlasted the grace");
            }
            cloud.awaitHostState("Disconnected");
            assertNotBackedUp(admin, snapshotId);
            assertEquals(List.of(), files(".rbddiff"), "no complete-looking backup file on the store");
        } finally {
            cloud.startAgent(); // the test's agent again, whatever happened: the retry and the clean-up need a host
        }

        cloud.cluster.cli("rbd", "config", "image", "remove", image, "rbd_qos_read_bps_limit");
        JsonNode backedUp = calls.backup(snapshotId);
        assertEquals("BackedUp", backedUp.get("state").asText(), backedUp.toString());
        assertEquals(1, files(".rbddiff").size(), "the retry's backup: " + files(".rbddiff"));

        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshotId), "deleteSnapshot");
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume");
    }

    /**
     * The short-command side on the real agent process, through the server's agent connection: a command running at
     * SIGTERM finishes and its answer arrives; one sent during the stop fails at once, unsent; the process then exits by
     * itself. Again with a command that would outlast the grace: a second SIGTERM ends the wait at once.
     */
    @Test
    void aCommandRunningAtSigtermAnswersOneSentAfterIsRefusedAndASecondSigtermStopsAtOnce() throws Exception {
        AgentConnections agents = cloud.server.server.agents();
        cloud.stopAgent();
        try (AgentProcess agent = AgentProcess.start(cloud.agentProperties(), dir.resolve("agent-echo.log"))) {
            cloud.awaitHostState("Up");
            CompletableFuture<Answer> running = agents.send(cloud.hostId, new EchoCommand("finished", 2_000),
                    Duration.ofSeconds(30));
            Thread.sleep(300); // under way on the agent
            agent.terminate();
            long signalled = System.nanoTime();
            Thread.sleep(300);
            CompletableFuture<Answer> late = agents.send(cloud.hostId, new EchoCommand("late", 0), Duration.ofSeconds(30));

            ExecutionException refused = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
            assertEquals("host " + cloud.hostId + " is stopping and takes no new commands: EchoCommand was not sent",
                    assertInstanceOf(AgentUnavailableException.class, refused.getCause()).getMessage());
            assertTrue(agents.isConnected(cloud.hostId), "still connected: the running command answers on it");
            assertEquals(EchoAnswer.of("finished"), running.get(10, TimeUnit.SECONDS), "its answer was sent");
            OptionalInt exit = agent.awaitExit(Duration.ofSeconds(GRACE_SECONDS));
            long exitedMillis = (System.nanoTime() - signalled) / 1_000_000;
            System.out.println("AgentGracefulStopIT: SIGTERM with a 2 s command running: the agent exited "
                    + exitedMillis + " ms later");
            assertEquals(OptionalInt.of(0), exit, "exited by itself, within its grace, once the command answered");

            cloud.awaitHostState("Disconnected");
            agent.restart();
            cloud.awaitHostState("Up");
            CompletableFuture<Answer> stuck = agents.send(cloud.hostId, new EchoCommand("stuck", 60_000),
                    Duration.ofSeconds(90));
            Thread.sleep(300);
            agent.terminate();
            Thread.sleep(300);
            agent.terminate();
            long second = System.nanoTime();
            OptionalInt secondExit = agent.awaitExit(Duration.ofSeconds(5));
            long secondMillis = (System.nanoTime() - second) / 1_000_000;
            System.out.println("AgentGracefulStopIT: a second SIGTERM: the agent exited " + secondMillis + " ms later");
            assertEquals(OptionalInt.of(0), secondExit, "the second signal ended the " + GRACE_SECONDS + " s grace");
            ExecutionException lost = assertThrows(ExecutionException.class, () -> stuck.get(10, TimeUnit.SECONDS));
            assertInstanceOf(AgentUnavailableException.class, lost.getCause(), "left to the connection's end");
            String log = Files.readString(agent.log());
            assertTrue(log.contains("still running after the shortened (second signal) grace: EchoCommand (request"),
                    "the interrupted command is named");
            cloud.awaitHostState("Disconnected");
        } finally {
            cloud.startAgent();
        }
    }



    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
