package io.rbdstack.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.event.ActionEvents;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Jobs never wait behind other jobs that block, e.g. backups waiting for their host's transfer workers. */
class AsyncJobManagerPoolTest {

    @Test
    void aJobRunsAtOnceWhileMoreJobsThanThreadsBlock() throws Exception {
        AsyncJobManager manager = new AsyncJobManager(mock(JobRepository.class), 1, 1, mock(ActionEvents.class));
        Caller caller = mock(Caller.class);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(3);
        try {
            for (int i = 0; i < 3; i++) {
                manager.submit(caller, "backupSnapshot", Map.of(), new AsyncCommand.AsyncStart(null, null, progress -> {
                    blocked.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return ApiJson.MAPPER.createObjectNode();
                }));
            }
            assertTrue(blocked.await(5, TimeUnit.SECONDS), "three blocking jobs run at once on a pool of one thread");
            CountDownLatch created = new CountDownLatch(1);

            manager.submit(caller, "createVolume", Map.of(), new AsyncCommand.AsyncStart(null, null, progress -> {
                created.countDown();
                ObjectNode result = ApiJson.MAPPER.createObjectNode();
                return result;
            }));

            assertTrue(created.await(5, TimeUnit.SECONDS), "the create ran behind no blocked job");
        } finally {
            release.countDown();
            manager.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void jobsBeyondTheMostRunningAtOnceWaitAndEachRunsOnceAThreadIsFree() throws Exception {
        AsyncJobManager manager = new AsyncJobManager(mock(JobRepository.class), 1, 1, 2, mock(ActionEvents.class));
        Caller caller = mock(Caller.class);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(2);
        CountDownLatch waited = new CountDownLatch(5);
        try {
            for (int i = 0; i < 2; i++) {
                manager.submit(caller, "backupSnapshot", Map.of(), new AsyncCommand.AsyncStart(null, null, progress -> {
                    blocked.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return ApiJson.MAPPER.createObjectNode();
                }));
            }
            assertTrue(blocked.await(5, TimeUnit.SECONDS), "both threads busy");
            for (int i = 0; i < 5; i++) {
                manager.submit(caller, "createVolume", Map.of(), new AsyncCommand.AsyncStart(null, null, progress -> {
                    waited.countDown();
                    return ApiJson.MAPPER.createObjectNode();
                }));
            }
            assertEquals(5, waited.getCount(), "no job runs past the two running at once");

            release.countDown();

            assertTrue(waited.await(5, TimeUnit.SECONDS), "every waiting job ran once the threads were free; left: "
                    + waited.getCount());
        } finally {
            release.countDown();
            manager.close(Duration.ofSeconds(5));
        }
    }
}
