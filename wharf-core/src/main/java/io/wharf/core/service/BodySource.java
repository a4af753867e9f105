package io.wharf.core.service;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A request body as the HTTP layer receives it: a sequence of buffers, handed over without
 * copying. The domain hashes and stores each buffer once.
 */
@FunctionalInterface
public interface BodySource {

    /** The next chunk, or null at the end of the body. The buffer is only valid until the next call. */
    ByteBuffer next() throws IOException;

    /**
     * Told once a whole-blob upload found these bytes to match the digest asked for, before they are stored (a
     * source that forwards them elsewhere may now let the last of them go); never told on a mismatch.
     */
    default void verified() {
    }

    BodySource EMPTY = () -> null;

    static BodySource of(byte[] bytes) {
        return new BodySource() {
            private boolean done;

            @Override
            public ByteBuffer next() {
                if (done) {
                    return null;
                }
                done = true;
                return ByteBuffer.wrap(bytes);
            }
        };
    }
}
