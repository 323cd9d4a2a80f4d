package io.rbdstack.agent.store.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * An object's content as a stream that, closed before its end (a restore that failed), aborts the
 * HTTP request instead of letting the connection pool read the rest of a large object to reuse it.
 */
final class AbortingInputStream extends FilterInputStream {

    private final ResponseInputStream<?> response;
    private boolean ended;

    AbortingInputStream(ResponseInputStream<?> response) {
        super(response);
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        ended |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!ended) {
            response.abort();
        }
        super.close();
    }
}
