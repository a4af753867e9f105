package io.wharf.server.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as a stream that gives up when no bytes arrive for {@code idle}: the HTTP client's own
 * timeout ends at the response headers, and a remote that stalls mid-body must not hold a reader forever.
 * Keeps a window of {@value #WINDOW} chunks asked for (the client's read buffers are 256 KiB, see
 * {@link HttpRemoteRegistries}: about 2 MiB in memory per download): with one, the HTTP client stopped reading the
 * socket after every chunk until this reader woke up and asked again.
 */
final class BodyStream extends InputStream implements ReadableByteChannel, Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();
    static final int WINDOW = 8;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration idle;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> chunk = List.<ByteBuffer>of().iterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    BodyStream(Duration idle) {
        this.idle = idle;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(WINDOW);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable error) {
        queue.add(error);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : read(ByteBuffer.wrap(b, off, len));
    }

    /** Into a buffer (the pull-through cache reads into direct ones). */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (chunk.hasNext()) {
                current = chunk.next();
            } else if (ended || !next()) {
                return -1;
            }
        }
        int n = Math.min(dst.remaining(), current.remaining());
        dst.put(dst.position(), current, current.position(), n);
        dst.position(dst.position() + n);
        current.position(current.position() + n);
        return n;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Takes the next chunk list; false at the end of the body. */
    @SuppressWarnings("unchecked")
    private boolean next() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        Object item;
        try {
            item = queue.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while reading from the remote registry");
        }
        if (item == null) {
            close();
            throw new HttpTimeoutException("the remote registry sent nothing for " + idle);
        }
        if (item == END) {
            ended = true;
            return false;
        }
        if (item instanceof Throwable t) {
            ended = true;
            throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
        }
        chunk = ((List<ByteBuffer>) item).iterator();
        subscription.request(1);
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Flow.Subscription s = subscription;
            if (s != null && !ended) {
                s.cancel();
            }
        }
    }
}
