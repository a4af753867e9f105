package io.wharf.server.http;

import java.util.concurrent.Semaphore;

/**
 * Bounds the memory that request bodies buffered at the same time may take together: each request
 * holds the bytes it buffers until it is done. One that would go over the budget is refused at once
 * rather than queued, since a queued request keeps its connection, and the client's bytes, waiting.
 */
public final class BodyBudget {
    private final Semaphore bytes;

    public BodyBudget(int totalBytes) {
        this.bytes = new Semaphore(totalBytes);
    }

    /** What one request holds, empty at first; closing it gives every byte back. */
    public Lease lease() {
        return new Lease();
    }

    /** The bytes currently free (for tests and diagnostics). */
    public int available() {
        return bytes.availablePermits();
    }

    /** Thrown when a body would take more than the budget has left. */
    public static final class ExhaustedException extends RuntimeException {
        ExhaustedException() {
            super("request body budget exhausted", null, false, false);
        }
    }

    /** Used by the one thread serving the request. */
    public final class Lease implements AutoCloseable {
        private int held;

        /** Takes {@code n} more bytes, or throws {@link ExhaustedException} taking none. */
        void take(int n) {
            if (n > 0 && !bytes.tryAcquire(n)) {
                throw new ExhaustedException();
            }
            held += n;
        }

        @Override
        public void close() {
            bytes.release(held);
            held = 0;
        }
    }
}
