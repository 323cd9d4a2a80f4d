package io.rbdstack.agent.store.s3;

import com.sun.jna.Memory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The native buffers S3 uploads fill their parts in: one budget for all the agent's uploads, served in the order
 * asked, the buffers reused from one upload to the next and freed when no upload holds any (an idle agent keeps none).
 *
 * <p>Outside the Java heap: 8 MiB arrays, 32 MiB of them live during four concurrent backups, grew the serial
 * collector's heap from 21 to 70 MiB (its young generation is a third of the heap). A buffer goes back only once no
 * part upload reads it (its future done); one that may still be read is {@link #abandon}ed instead: its slot is
 * given back and its memory freed by JNA's cleaner once the part's task lets go of it.
 */
public final class PartBuffers {

    /** The system property that sets the agent's budget (a number of buffers, at least 1). */
    public static final String BUDGET_PROPERTY = "rbdstack.s3.part.buffers";

    /** The agent's: {@value #BUDGET_PROPERTY}, 4 (20 MiB); each upload has one at least. */
    public static final PartBuffers AGENT = new PartBuffers(budget(System.getProperty(BUDGET_PROPERTY)),
            S3MultipartOutputStream.PART_BYTES);

    private final int count;
    private final int bytes;
    private final Semaphore slots;
    private final Deque<Memory> idle = new ArrayDeque<>(); // guarded by this

    PartBuffers(int count, int bytes) {
        if (count < 1) {
            throw new IllegalArgumentException(BUDGET_PROPERTY + " must be at least 1, not " + count);
        }
        this.count = count;
        this.bytes = bytes;
        this.slots = new Semaphore(count, true);
    }

    /** The budget named by {@code value} (the property's, null when unset: 4). */
    static int budget(String value) {
        if (value == null) {
            return 4;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BUDGET_PROPERTY + " must be a number of buffers, not '" + value + "'");
        }
    }

    public int count() {
        return count;
    }

    public int bufferBytes() {
        return bytes;
    }

    /** A buffer, waiting for a slot in turn. */
    Memory take() throws InterruptedException {
        slots.acquire();
        return allocateInSlot();
    }

    /** A buffer if a slot is free and no upload waits for one before (a plain tryAcquire would barge); else null. */
    Memory tryTakeInTurn() {
        try {
            return slots.tryAcquire(0, TimeUnit.SECONDS) ? allocateInSlot() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A buffer for the slot just taken; the slot goes back if there is no memory for it. */
    private Memory allocateInSlot() {
        try {
            return allocate();
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    /** Whether an upload waits for a buffer. */
    boolean othersWaiting() {
        return slots.hasQueuedThreads();
    }

    /** Gives back a buffer no part upload reads any more; the last one back frees them all. */
    void give(Memory buffer) {
        synchronized (this) {
            idle.push(buffer);
        }
        slots.release();
        freeIfNoneHeld();
    }

    /** Gives back the slot of a buffer a part upload may still read: its memory is left to JNA's cleaner. */
    void abandon() {
        slots.release();
        freeIfNoneHeld();
    }

    /** Slots free now (tests). */
    int available() {
        return slots.availablePermits();
    }

    /** Uploads waiting for a buffer (tests). */
    int waiting() {
        return slots.getQueueLength();
    }

    /** Buffers allocated and not lent (tests): none while no upload holds one. */
    synchronized int idle() {
        return idle.size();
    }

    private synchronized Memory allocate() {
        return idle.isEmpty() ? new Memory(bytes) : idle.pop();
    }

    /**
     * Frees the idle buffers when every slot is free. A slot taken meanwhile allocates after this (under the same
     * lock) or was taken before the check, which then frees nothing.
     */
    private synchronized void freeIfNoneHeld() {
        if (slots.availablePermits() == count) {
            idle.forEach(Memory::close);
            idle.clear();
        }
    }
}
