package io.wharf.core.service;

import io.wharf.core.error.TooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.Consumer;

/** Streams a body into storage, hashing each byte exactly once on the way. */
final class HashingCopier {
    private HashingCopier() {
    }

    /**
     * Copies {@code body} to {@code out}, feeding {@code hash}. Fails with {@link TooLargeException}
     * before writing past {@code maxBytes} in total ({@code alreadyStored} counts toward it).
     *
     * @return the number of bytes copied
     */
    static long copy(BodySource body, WritableByteChannel out, Consumer<ByteBuffer> hash, long alreadyStored, long maxBytes)
            throws IOException {
        long copied = 0;
        for (ByteBuffer chunk = body.next(); chunk != null; chunk = body.next()) {
            int n = chunk.remaining();
            if (alreadyStored + copied + n > maxBytes) {
                throw new TooLargeException("blob exceeds the configured limit of " + maxBytes + " bytes", null);
            }
            hash.accept(chunk.duplicate());
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            copied += n;
        }
        return copied;
    }

    /** Hashes the first {@code length} bytes of {@code in} (rebuilding hash state after a restart). */
    static void hash(ReadableByteChannel in, Consumer<ByteBuffer> hash, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        long remaining = length;
        while (remaining > 0) {
            buf.clear();
            if (remaining < buf.capacity()) {
                buf.limit((int) remaining);
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("upload data shorter than its acknowledged offset");
            }
            buf.flip();
            hash.accept(buf);
            remaining -= n;
        }
    }
}
