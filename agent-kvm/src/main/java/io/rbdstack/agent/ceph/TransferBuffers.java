package io.rbdstack.agent.ceph;

import com.sun.jna.Memory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One budget of native buffers for every backup and restore of the agent: a transfer takes its buffers when it
 * starts and gives them back when it ends, and waits for them rather than allocating more. So the agent's memory
 * for transfers stays at {@code count} buffers however many run (and librados' own copies of the reads in flight,
 * one per buffer lent, with it; a restore's slots stand for librbd's copies of its writes, with one buffer to stage
 * them in); one transfer alone still gets all it asks for. Buffers are kept while any
 * transfer runs and freed when none does (and malloc's arenas trimmed), so an idle agent holds none.
 */
public final class TransferBuffers {

    /** The system property that sets the agent's budget (a number of buffers, at least 2). */
    public static final String BUDGET_PROPERTY = "rbdstack.transfer.buffers";

    /**
     * The agent's budget: 10 buffers of one RBD object (40 MiB; {@value #BUDGET_PROPERTY} changes it). One backup
     * starts on 2 and grows to up to 6 (4 reads in flight, 2 held while written and hashed) while buffers are free and
     * no transfer waits ({@link Lease#tryGrow}; a small incremental, and an incremental to S3, whose parts hold what it
     * read, stay on 2, a full backup to S3 on 1), one restore asks for 8: two full
     * backups (the default per host) get 6 and 4, a restore and a backup 8 and 2; with more allowed, later ones get
     * what is left and wait until 2 are free (waiting transfers are served first come, first served). Each buffer
     * lent costs about
     * twice its size at the busiest moment (librados receives each read into a buffer of its own before librbd copies
     * it here): four
     * concurrent backups peaked at 252-281 MiB of agent RSS with 16, 250 with 12 and 220-227 with 10 and one
     * malloc arena (scripts/agent.sh; README, scripts/bench-transfers.sh); one backup reads as deep as before.
     */
    public static final TransferBuffers AGENT = new TransferBuffers(budget(System.getProperty(BUDGET_PROPERTY)),
            RbdBackups.CHUNK);

    /**
     * Buffers lent to one transfer; {@link #close} gives them back. Its slots of the budget may be more than its
     * buffers: a slot without one stands for memory librbd holds for the transfer (its copies of writes in flight).
     */
    public final class Lease implements AutoCloseable {
        private final List<Memory> buffers; // guarded by TransferBuffers.this
        private int slots; // guarded by TransferBuffers.this
        private boolean closed;

        private Lease(List<Memory> buffers, int slots) {
            this.buffers = new ArrayList<>(buffers);
            this.slots = slots;
        }

        public List<Memory> buffers() {
            synchronized (TransferBuffers.this) {
                return List.copyOf(buffers);
            }
        }

        /** How many of the budget's buffers this lease counts, allocated or not. */
        public int slots() {
            synchronized (TransferBuffers.this) {
                return slots;
            }
        }

        /**
         * One more buffer for this transfer if one is free and no transfer is waiting for buffers (they come first),
         * at once; null otherwise. It goes back with the others.
         */
        public Memory tryGrow() {
            synchronized (TransferBuffers.this) {
                if (closed || !waiting.isEmpty() || lent >= count) {
                    return null;
                }
                Memory buffer = lendOne();
                buffers.add(buffer);
                slots++;
                return buffer;
            }
        }

        @Override
        public void close() {
            synchronized (TransferBuffers.this) {
                if (closed) {
                    return;
                }
                closed = true;
                lent -= slots;
                free.addAll(buffers);
                if (lent == 0) {
                    free.forEach(Memory::close); // none is in use: an idle agent holds no transfer memory
                    free.clear();
                    allocated = 0;
                    GlibcMalloc.trim(); // and what librados took for the transfers' reads and writes
                }
                TransferBuffers.this.notifyAll();
            }
        }
    }

    private final int count;
    private final int bufferBytes;
    private final Deque<Memory> free = new ArrayDeque<>();
    /** The transfers waiting for buffers, oldest first: each waits for those before it (one ticket each). */
    private final Deque<Object> waiting = new ArrayDeque<>();
    private int allocated;
    private int lent;

    public TransferBuffers(int count, int bufferBytes) {
        if (count < 2) {
            throw new IllegalArgumentException("a transfer needs at least 2 buffers; got a budget of " + count);
        }
        this.count = count;
        this.bufferBytes = bufferBytes;
    }

    /** The budget {@code value} (a system property's) names: 10 when null. */
    static int budget(String value) {
        if (value == null) {
            return 10;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BUDGET_PROPERTY + " must be a number of buffers, not \"" + value + "\"",
                    e);
        }
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** How many buffers the budget holds. */
    public int count() {
        return count;
    }

    /** Slots lent now, with a buffer or not (tests and the log). */
    public synchronized int lent() {
        return lent;
    }

    /**
     * At least {@code least} buffers and at most {@code most}, as many as are free: waits until {@code least} are
     * and every transfer that asked before has been served (first come, first served: a later, smaller ask never
     * overtakes a waiting larger one, which could otherwise wait for ever while small ones come and go).
     *
     * @throws InterruptedException when interrupted while waiting; nothing is lent then
     */
    public Lease take(int least, int most) throws InterruptedException {
        return take(least, most, most);
    }

    /**
     * As {@link #take(int, int)}, but only the first {@code withBuffers} of the slots lent come with a buffer: for a
     * transfer whose other memory is librbd's (a restore's writes, which librbd copies), counted against the same
     * budget.
     *
     * @throws InterruptedException when interrupted while waiting; nothing is lent then
     */
    public synchronized Lease take(int least, int most, int withBuffers) throws InterruptedException {
        if (least < 1 || least > most || least > count || withBuffers < 1) {
            throw new IllegalArgumentException("cannot lend " + least + " to " + most + " of " + count + " buffers"
                    + " with " + withBuffers + " allocated");
        }
        Object ticket = new Object();
        waiting.add(ticket);
        try {
            while (waiting.peek() != ticket || count - lent < least) {
                wait();
            }
        } finally {
            waiting.remove(ticket); // served, or given up: either way the next in line may go now
            notifyAll();
        }
        int n = Math.min(most, count - lent);
        int allocating = Math.min(n, withBuffers);
        List<Memory> taken = new ArrayList<>(allocating);
        for (int i = 0; i < allocating; i++) {
            taken.add(lendOne());
        }
        lent += n - allocating;
        // Slots without a buffer stand for memory outside this pool: keep no more free buffers than the budget
        // leaves, so that allocated buffers and those slots never exceed it.
        while (lent + free.size() > count) {
            free.poll().close();
            allocated--;
        }
        return new Lease(taken, n);
    }

    /** A free buffer, or a new one, now lent; the caller holds this object's lock and has checked the budget. */
    private Memory lendOne() {
        Memory buffer = free.poll();
        if (buffer == null) {
            buffer = new Memory(bufferBytes);
            allocated++;
        }
        lent++;
        return buffer;
    }

    /** Transfers waiting for buffers now (tests). */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Buffers allocated now, lent or kept for the next transfer (tests). */
    synchronized int allocated() {
        return allocated;
    }
}
