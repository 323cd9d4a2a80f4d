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
final class PartBuffers {

    /** The agent's: {@code -Drbdstack.s3.part.buffers}, 4 (20 MiB); each upload has one at least. */
    static final PartBuffers AGENT = new PartBuffers(Integer.getInteger("rbdstack.s3.part.buffers", 4),
            S3MultipartOutputStream.PART_BYTES);

    private final int count;
    private final int bytes;
    private final Semaphore slots;
    private final Deque<Memory> idle = new ArrayDeque<>(); // guarded by this

    PartBuffers(int count, int bytes) {
        if (count < 1) {
            throw new IllegalArgumentException("rbdstack.s3.part.buffers must be at least 1, not " + count);
        }
        this.count = count;
        this.bytes = bytes;
        this.slots = new Semaphore(count, true);
    }

    int bufferBytes() {
        return bytes;
    }

    /** A buffer, waiting for a slot in turn. */
    Memory take() throws InterruptedException {
        slots.acquire();
        return allocate();
    }

    /** A buffer if a slot is free and no upload waits for one before (a plain tryAcquire would barge); else null. */
    Memory tryTakeInTurn() {
        try {
            return slots.tryAcquire(0, TimeUnit.SECONDS) ? allocate() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
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
