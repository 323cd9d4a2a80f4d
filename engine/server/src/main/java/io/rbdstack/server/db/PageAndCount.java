package io.rbdstack.server.db;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A page of a list and the count of everything its filters match, read at the same time on two
 * connections: on a large table the count reads every matching index entry and costs more than the
 * page, so overlapping them takes a list about the count's time rather than the sum. When every
 * counting thread is busy the count runs in the caller's thread after the page, as it would anyway.
 * Only for reads outside a transaction (the count's thread does not see the caller's).
 */
public final class PageAndCount {

    private static final int COUNTING_THREADS = 4;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor COUNTS = new ThreadPoolExecutor(0, COUNTING_THREADS, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "list-count-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    /** The page's rows and the count of all rows. */
    public record Result<T>(List<T> rows, long count) {
    }

    private PageAndCount() {
    }

    public static <T> Result<T> read(Supplier<List<T>> page, LongSupplier count) {
        CompletableFuture<Long> counted = CompletableFuture.supplyAsync(count::getAsLong, COUNTS);
        List<T> rows = page.get();
        try {
            return new Result<>(rows, counted.join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
