package dev.tollgate.servlet.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body up to a limit, never buffering more than the limit and one byte. */
public final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * Reads at most {@code limit + 1} bytes: a result longer than {@code limit} means the body is too large, and the
     * rest of it was never read.
     *
     * @param in the body
     * @param limit the largest body accepted
     * @param expected the declared length, or -1; sizes the buffer (never beyond the limit)
     * @return the bytes read
     * @throws IOException if reading fails
     */
    public static byte[] readAtMost(InputStream in, int limit, long expected) throws IOException {
        long cap = limit + 1L;
        int initial = (int) Math.min(cap, expected >= 0 ? expected : 8192);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(initial, 32));
        byte[] buffer = new byte[8192];
        long remaining = cap;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
        return out.toByteArray();
    }
}
