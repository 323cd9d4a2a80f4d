package io.rbdstack.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PageAndCountTest {

    @Test
    void theCountIsReadWhileThePageIs() {
        CountDownLatch pageStarted = new CountDownLatch(1);
        CountDownLatch countStarted = new CountDownLatch(1);
        PageAndCount.Result<String> result = PageAndCount.read(() -> {
            pageStarted.countDown();
            await(countStarted);
            return List.of("a", "b");
        }, () -> {
            countStarted.countDown();
            await(pageStarted);
            return 42;
        });
        assertEquals(List.of("a", "b"), result.rows());
        assertEquals(42, result.count());
    }

    @Test
    void aFailingCountFailsTheListWithItsOwnException() {
        DataAccessException failure = new DataAccessException("count failed", null);
        DataAccessException thrown = assertThrows(DataAccessException.class,
                () -> PageAndCount.read(List::of, () -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "the other query never started: they did not overlap");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
