package io.rbdstack.agent.ceph;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a blocking native call on a thread of its own and waits for it at most a deadline. A native
 * call cannot be interrupted, so when the deadline passes the call is abandoned, not stopped: it
 * finishes on its own thread, and then its clean-up runs (e.g. freeing the librados handle it used,
 * which is unsafe while the call is still inside librados).
 */
final class BoundedCall {

    /** A call that may block in native code. */
    @FunctionalInterface
    interface Blocking {
        void run() throws Exception;
    }

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int ABANDONED = 2;

    private BoundedCall() {
    }

    /**
     * @param afterAbandoned runs on the call's thread once an abandoned call returns
     * @throws TimeoutException the call did not return in time (it goes on in the background)
     * @throws Exception        whatever the call threw
     */
    static void run(String threadName, Duration deadline, Blocking call, Runnable afterAbandoned)
            throws Exception {
        AtomicInteger state = new AtomicInteger(RUNNING);
        CountDownLatch finished = new CountDownLatch(1);
        Exception[] failure = new Exception[1];
        Thread thread = new Thread(() -> {
            try {
                call.run();
            } catch (Exception e) {
                failure[0] = e;
            } finally {
                if (!state.compareAndSet(RUNNING, DONE)) {
                    afterAbandoned.run();
                }
                finished.countDown();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        boolean inTime;
        try {
            inTime = finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inTime = false;
        }
        if (!inTime && state.compareAndSet(RUNNING, ABANDONED)) {
            throw new TimeoutException(threadName + " did not return within " + deadline.toMillis() + " ms");
        }
        finished.await(); // it finished just now: its result is ours
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
