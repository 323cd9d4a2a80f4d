package io.rbdstack.agent.ceph;

import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * librbd's way of listing into an array of structs: ask with no room, get -ERANGE and the count, ask again with
 * that many (the list may grow in between, so again), read the entries, then hand them back to librbd's
 * cleanup, which frees the strings it allocated.
 */
final class LibrbdLists {

    /** One listing call: fills {@code first} (null: no room) and sets {@code count}; librbd's return code. */
    @FunctionalInterface
    interface Call<S extends Structure> {
        int list(S first, LongByReference count);
    }

    /** What is kept of one entry, read while librbd's strings are still there. */
    @FunctionalInterface
    interface Reader<S extends Structure, T> {
        T read(S entry) throws CephException;
    }

    /** librbd's cleanup of {@code count} entries starting at {@code first}. */
    @FunctionalInterface
    interface Cleanup<S extends Structure> {
        void free(S first, int count);
    }

    private LibrbdLists() {
    }

    /**
     * The entries, read with {@code reader}; {@code what} names the list in the error ("the clones of x@y").
     * -ENOENT from the call counts as an empty list only if {@code noneIfMissing}.
     */
    @SuppressWarnings("unchecked")
    static <S extends Structure, T> List<T> read(Supplier<S> prototype, Call<S> call, Reader<S, T> reader,
                                                 Cleanup<S> cleanup, boolean noneIfMissing, String what)
            throws CephException {
        LongByReference count = new LongByReference(0);
        int rc = call.list(null, count);
        for (int attempt = 0; rc == -CephErrors.ERANGE && attempt < 5; attempt++) {
            S[] entries = (S[]) prototype.get().toArray((int) count.getValue());
            rc = call.list(entries[0], count);
            if (rc >= 0) {
                int n = (int) count.getValue();
                try {
                    List<T> result = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        entries[i].read();
                        result.add(reader.read(entries[i]));
                    }
                    return result;
                } finally {
                    entries[0].setAutoWrite(false); // hand librbd back its own pointers, unchanged
                    cleanup.free(entries[0], n);
                }
            }
        }
        if (rc == -CephErrors.ENOENT && noneIfMissing) {
            return List.of();
        }
        if (rc < 0) {
            throw new CephException("cannot list " + what + ": " + CephErrors.describe(rc), rc);
        }
        return List.of(); // none: librbd answers 0 at once
    }
}
