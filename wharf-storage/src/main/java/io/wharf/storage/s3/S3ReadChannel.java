package io.wharf.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A blob read by ranged GETs: one open response streams from the position on; a seek elsewhere opens another.
 */
final class S3ReadChannel implements SeekableByteChannel {
    private final S3Objects objects;
    private final String key;
    private final long size;
    private long position;
    private InputStream stream; // positioned at streamAt, or null
    private long streamAt;
    private boolean open = true;

    S3ReadChannel(S3Objects objects, String key, long size) {
        this.objects = objects;
        this.key = key;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (stream == null || streamAt != position) {
            closeStream();
            stream = objects.get(key, position, size);
            streamAt = position;
        }
        int n = readInto(dst);
        if (n < 0) {
            throw new IOException("blob " + key + " ended at " + position + " of " + size + " bytes");
        }
        position += n;
        streamAt += n;
        return n;
    }

    private int readInto(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            int n = stream.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        byte[] buf = new byte[Math.min(dst.remaining(), 1 << 16)];
        int n = stream.read(buf);
        if (n > 0) {
            dst.put(buf, 0, n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        closeStream();
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            InputStream s = stream;
            stream = null;
            // abort rather than drain what remains of a large range (the SDK's stream allows it)
            if (s instanceof software.amazon.awssdk.core.ResponseInputStream<?> r) {
                r.abort();
            }
            s.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
