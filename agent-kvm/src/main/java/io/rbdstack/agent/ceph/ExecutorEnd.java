package io.rbdstack.agent.ceph;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Waits, however long it takes, until an executor's tasks have ended: librbd calls in flight write
 * into or read from native buffers and an open image, which the caller frees and closes next. An
 * interrupt does not cut the wait short; it is kept for the caller.
 */
final class ExecutorEnd {

    private ExecutorEnd() {
    }

    static void await(ExecutorService executor) {
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
