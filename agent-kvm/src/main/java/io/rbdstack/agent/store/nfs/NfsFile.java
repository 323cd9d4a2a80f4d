package io.rbdstack.agent.store.nfs;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;

/** An open NFS file handle of an {@link NfsContext}; closing it does not close the context. */
final class NfsFile implements AutoCloseable {

    private final NfsContext context;
    private final Pointer handle;
    private final String path;
    private boolean closed;

    NfsFile(NfsContext context, Pointer handle, String path) {
        this.context = context;
        this.handle = handle;
        this.path = path;
    }

    /** Writes all {@code length} bytes of {@code buffer} at {@code offset} (a short write is continued). */
    void writeFully(long offset, Memory buffer, int length) throws IOException {
        int done = 0;
        while (done < length) {
            Pointer rest = buffer.share(done);
            int n = context.pwrite(handle, offset + done, rest, length - done);
            if (n == 0) {
                throw new IOException("NFS write of " + path + " wrote nothing at offset " + (offset + done));
            }
            done += n;
        }
    }

    /** Reads up to {@code length} bytes at {@code offset}; 0 at the end of the file. */
    int read(long offset, Memory buffer, int length) throws IOException {
        return context.pread(handle, offset, buffer, length);
    }

    void sync() throws IOException {
        context.fsync(handle, path);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            context.close(handle, path);
        }
    }
}
