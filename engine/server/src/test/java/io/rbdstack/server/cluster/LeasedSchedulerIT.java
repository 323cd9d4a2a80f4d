package io.rbdstack.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two management servers on one database: a leased task runs on one of them, once per period, and on the
 * other once the first stops; a task that fails every time keeps being run.
 */
class LeasedSchedulerIT {

    private static final Duration PERIOD = Duration.ofMillis(500);

    @TempDir
    Path dir;

    /** When each run happened (nanoTime) and on which server. */
    private record Run(long nanos, int server) {
    }

    @Test
    void aLeasedTaskRunsOnOneServerOncePerPeriodAndMovesOnWhenItsServerStops() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            TestServer first = server(db, "one");
            TestServer second = server(db, "two");
            List<Run> runs = Collections.synchronizedList(new ArrayList<>());
            try {
                first.server.background().schedule("test-counter", () -> PERIOD,
                        () -> runs.add(new Run(System.nanoTime(), 1)));
                second.server.background().schedule("test-counter", () -> PERIOD,
                        () -> runs.add(new Run(System.nanoTime(), 2)));
                Thread.sleep(5_000);
                List<Run> both = List.copyOf(runs);
                long onFirst = both.stream().filter(r -> r.server() == 1).count();
                long onSecond = both.size() - onFirst;
                assertEquals(0, Math.min(onFirst, onSecond), "one server ran it: " + onFirst + " / " + onSecond);
                // 5 s at one run per 0.5 s, the first one period after the lease exists.
                assertTrue(both.size() >= 7 && both.size() <= 10, "runs in 5 s: " + both.size());
                assertGapsAtLeast(both, PERIOD.minusMillis(50));

                int holder = onFirst > 0 ? 1 : 2;
                (holder == 1 ? first : second).close();
                int before = runs.size();
                Thread.sleep(3_000);
                List<Run> after = List.copyOf(runs.subList(before, runs.size()));
                assertTrue(after.size() >= 4, "the other server took over: " + after.size() + " runs in 3 s");
                assertTrue(after.stream().allMatch(r -> r.server() != holder), "only the other server runs it now");
                assertGapsAtLeast(List.copyOf(runs), PERIOD.minusMillis(50));
            } finally {
                first.close();
                second.close();
            }
        }
    }

    @Test
    void aTaskThatFailsEveryTimeKeepsItsSchedule() throws Exception {
        try (TestDatabase db = new TestDatabase(); TestServer server = server(db, "only")) {
            AtomicInteger attempts = new AtomicInteger();
            server.server.background().schedule("test-failing", () -> Duration.ofMillis(300), () -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("fails on purpose");
            });
            Thread.sleep(3_000);
            assertTrue(attempts.get() >= 6, "runs after failures: " + attempts.get());
        }
    }

    private TestServer server(TestDatabase db, String name) throws Exception {
        Path config = TestServer.prepareConfig(dir.resolve(name));
        db.writeDbProperties(config, "serverTimezone=UTC");
        return new TestServer(config);
    }

    private static void assertGapsAtLeast(List<Run> runs, Duration least) {
        for (int i = 1; i < runs.size(); i++) {
            long gap = runs.get(i).nanos() - runs.get(i - 1).nanos();
            assertTrue(gap >= least.toNanos(), "two runs " + gap / 1_000_000 + " ms apart (period "
                    + PERIOD.toMillis() + " ms)");
        }
    }
}
