package io.wharf.server.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The body of a {@link PlainGet}: a Content-Length, chunked or until-close body read from a blocking socket into
 * the caller's buffer (a direct one: the kernel copies into it, nothing else does). Like {@link BodyStream} it
 * gives up when no bytes arrive for {@code remote.timeout}: a watchdog closes the socket, which ends a blocked read.
 */
final class PlainBody extends InputStream implements ReadableByteChannel {
    private static final int MAX_LINE = 4096;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "remote-idle-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SocketChannel channel;
    private final Watch watch;
    private final ByteBuffer lead; // read mode: bytes read past the headers or a chunk line, served first
    private final long length;
    private final boolean chunked;
    private long left; // of the body (Content-Length) or of the current chunk
    private boolean firstChunk = true;
    private boolean ended;

    PlainBody(SocketChannel channel, Watch watch, ByteBuffer lead, long length, boolean chunked) {
        this.channel = channel;
        this.watch = watch;
        this.lead = lead;
        this.length = length;
        this.chunked = chunked;
        this.left = chunked ? 0 : length;
    }

    /** The Content-Length; -1 when the body is chunked or ends with the connection. */
    long length() {
        return length;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (ended) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        try {
            return chunked ? chunk(dst) : length >= 0 ? fixed(dst) : untilClose(dst);
        } catch (IOException e) {
            close();
            throw watch.timedOut() ? new HttpTimeoutException("the remote registry sent nothing for " + watch.idle) : e;
        }
    }

    private int fixed(ByteBuffer dst) throws IOException {
        if (left == 0) {
            ended = true;
            return -1;
        }
        int n = some(dst, left);
        left -= n;
        return n;
    }

    private int untilClose(ByteBuffer dst) throws IOException {
        int n = lead.hasRemaining() ? drainLead(dst, Long.MAX_VALUE) : fromSocket(dst, Long.MAX_VALUE);
        if (n < 0) {
            ended = true;
        }
        return n;
    }

    private int chunk(ByteBuffer dst) throws IOException {
        if (left == 0) {
            if (!firstChunk && !line().isEmpty()) {
                throw new IOException("the remote registry sent a malformed chunk end");
            }
            firstChunk = false;
            left = chunkSize(line());
            if (left == 0) {
                while (!line().isEmpty()) { // trailers: ignored
                }
                ended = true;
                return -1;
            }
        }
        int n = some(dst, left);
        left -= n;
        return n;
    }

    private static long chunkSize(String line) throws IOException {
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        try {
            long size = hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IOException("the remote registry sent a malformed chunk size");
    }

    /** At most {@code max} bytes into {@code dst}; the body must not end before. */
    private int some(ByteBuffer dst, long max) throws IOException {
        int n = lead.hasRemaining() ? drainLead(dst, max) : fromSocket(dst, max);
        if (n < 0) {
            throw new IOException("the remote registry broke off the body (" + left + " bytes missing)");
        }
        return n;
    }

    private int drainLead(ByteBuffer dst, long max) {
        int n = (int) Math.min(Math.min(dst.remaining(), lead.remaining()), max);
        dst.put(dst.position(), lead, lead.position(), n);
        dst.position(dst.position() + n);
        lead.position(lead.position() + n);
        return n;
    }

    private int fromSocket(ByteBuffer dst, long max) throws IOException {
        int limit = dst.limit();
        dst.limit((int) Math.min(limit, dst.position() + max));
        try {
            int n = channel.read(dst);
            watch.touch();
            return n;
        } finally {
            dst.limit(limit);
        }
    }

    /** A CRLF-ended line from the lead (refilled from the socket), without its CRLF. */
    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            if (!lead.hasRemaining()) {
                lead.clear();
                int n = channel.read(lead);
                watch.touch();
                lead.flip();
                if (n < 0) {
                    throw new IOException("the remote registry broke off a chunked body");
                }
            }
            char c = (char) (lead.get() & 0xff);
            if (c == '\n') {
                int end = s.length() > 0 && s.charAt(s.length() - 1) == '\r' ? s.length() - 1 : s.length();
                return s.substring(0, end);
            }
            if (s.length() >= MAX_LINE) {
                throw new IOException("the remote registry sent a chunk line over " + MAX_LINE + " bytes");
            }
            s.append(c);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        watch.close();
    }

    static Watch watch(SocketChannel channel, Duration idle) {
        Watch w = new Watch(channel, idle);
        w.arm(idle.toNanos());
        return w;
    }

    /** Closes the socket once nothing moved for {@code idle} (a blocked read then fails); closing it cancels. */
    static final class Watch {
        private final SocketChannel channel;
        private final Duration idle;
        private volatile long last = System.nanoTime();
        private volatile boolean timedOut;
        private volatile ScheduledFuture<?> next;

        private Watch(SocketChannel channel, Duration idle) {
            this.channel = channel;
            this.idle = idle;
        }

        void touch() {
            last = System.nanoTime();
        }

        boolean timedOut() {
            return timedOut;
        }

        private void arm(long delayNanos) {
            next = TIMER.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        }

        private void check() {
            if (!channel.isOpen()) {
                return;
            }
            long still = System.nanoTime() - last;
            if (still >= idle.toNanos()) {
                timedOut = true;
                closeChannel();
            } else {
                arm(idle.toNanos() - still);
            }
        }

        void close() {
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
            closeChannel();
        }

        private void closeChannel() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
