package io.wharf.server.http;

import io.wharf.core.error.BodyIncompleteException;
import io.wharf.core.error.BodyIncompleteException.Reason;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.service.BodySource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * One request and its response, with plain blocking reads and writes: handlers run on virtual
 * threads, so blocking is cheap and the code stays straight-line.
 */
public final class Exchange {
    /** Blob bodies are sent as file mappings of this size, so resident memory stays bounded. */
    private static final long MAP_SEGMENT = 8L << 20;

    private final Request request;
    private final Response response;
    private QueryString query;

    public Exchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    public String method() {
        return request.getMethod();
    }

    /** The path as sent, still percent-encoded, so encoded dots and slashes can be refused. */
    public String rawPath() {
        return request.getHttpURI().getPath();
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** A query parameter, decoded; null when absent; {@link MalformedQueryException} when it does not decode. */
    public String query(String name) {
        return query().get(name);
    }

    /** Whether the parameter was sent, decodable or not. */
    public boolean hasQuery(String name) {
        return query().has(name);
    }

    private QueryString query() {
        if (query == null) {
            query = new QueryString(request.getHttpURI().getQuery());
        }
        return query;
    }

    /** Declared Content-Length, or null when the body is chunked or absent. */
    public Long contentLength() {
        long n = request.getLength();
        return n < 0 ? null : n;
    }

    /** The request body as a stream of buffers, handed over without copying. */
    public BodySource body() {
        return new BodySource() {
            private Content.Chunk current;
            private boolean ended;

            @Override
            public ByteBuffer next() throws IOException {
                release();
                while (!ended) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        awaitContent();
                        continue;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        throw incomplete(chunk.getFailure());
                    }
                    ended = chunk.isLast();
                    if (chunk.hasRemaining()) {
                        current = chunk;
                        return chunk.getByteBuffer();
                    }
                    chunk.release();
                }
                return null;
            }

            private void release() {
                if (current != null) {
                    current.release();
                    current = null;
                }
            }
        };
    }

    /**
     * Why Jetty could not deliver the body, in the domain's words: every such failure is the client's. An end
     * of stream (Jetty's early-EOF is also an HTTP 400 exception, so it is asked first) or a reset means the
     * client stopped sending or left.
     */
    private static BodyIncompleteException incomplete(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new BodyIncompleteException(Reason.TIMED_OUT, "the request body stalled past the idle timeout");
        }
        if (failure instanceof HttpException && !(failure instanceof EofException)) {
            return new BodyIncompleteException(Reason.MALFORMED, "the request body is malformed: " + failure.getMessage());
        }
        return new BodyIncompleteException(Reason.ENDED_EARLY, "the request body ended before its declared length");
    }

    private void awaitContent() throws IOException {
        try (Blocker.Runnable blocker = Blocker.runnable()) {
            request.demand(blocker);
            blocker.block();
        }
    }

    /**
     * Reads and drops what is left of the request body, up to {@code max} bytes, so the connection
     * can carry the next request after an early error answer. False when more remains (or the body
     * broke): the caller should then close the connection rather than leave the client guessing.
     */
    public boolean discardBody(long max) {
        long seen = 0;
        try {
            BodySource body = body();
            for (ByteBuffer b = body.next(); b != null; b = body.next()) {
                seen += b.remaining();
                if (seen > max) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Readies the connection for an early error answer: drains up to {@code max} unread body bytes, and
     * asks for the connection to close when more remain. Unread bytes at close make the kernel reset the
     * connection, and the client would then lose the answer it was about to read.
     */
    public void settleBodyBeforeError(long max) {
        if (!discardBody(max)) {
            setHeader("Connection", "close");
        }
    }

    /** Reads a whole small body, refusing more than {@code max} bytes. */
    public byte[] readBody(int max, String what) throws IOException {
        Long declared = contentLength();
        if (declared != null && declared > max) {
            throw new TooLargeException(what + " exceeds the limit of " + max + " bytes", null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared == null ? 8192 : declared.intValue());
        BodySource body = body();
        for (ByteBuffer b = body.next(); b != null; b = body.next()) {
            if (out.size() + b.remaining() > max) {
                throw new TooLargeException(what + " exceeds the limit of " + max + " bytes", null);
            }
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.write(bytes);
        }
        return out.toByteArray();
    }

    public Exchange setHeader(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    /** Sends a complete response with a body (or only its headers, for HEAD). */
    public void send(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        write(isHead() ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), true);
    }

    public void sendJson(int status, String contentType, String json) throws IOException {
        send(status, contentType, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A response with no body: {@code Content-Length: 0} unless the handler already set a length. */
    public void sendEmpty(int status) throws IOException {
        response.setStatus(status);
        if (!response.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        }
        write(ByteBuffer.allocate(0), true);
    }

    /**
     * Sends {@code length} bytes of {@code channel} from {@code offset}. File channels are sent from
     * mappings (the kernel copies from the page cache; no user-space copy), unmapped after each
     * segment so resident memory stays small; other channels go through one pooled buffer.
     */
    public void sendContent(int status, String contentType, SeekableByteChannel channel, long offset, long length)
            throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (isHead() || length == 0) {
            write(ByteBuffer.allocate(0), true);
        } else if (channel instanceof FileChannel file) {
            sendMapped(file, offset, length);
        } else {
            sendCopied(channel, offset, length);
        }
    }

    private void sendMapped(FileChannel file, long offset, long length) throws IOException {
        long end = offset + length;
        for (long pos = offset; pos < end; pos += MAP_SEGMENT) {
            long n = Math.min(MAP_SEGMENT, end - pos);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment segment = file.map(FileChannel.MapMode.READ_ONLY, pos, n, arena);
                write(segment.asByteBuffer(), pos + n == end);
            }
        }
    }

    private void sendCopied(SeekableByteChannel channel, long offset, long length) throws IOException {
        channel.position(offset);
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(length, 1 << 20));
        long remaining = length;
        while (remaining > 0) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), remaining));
            if (channel.read(buf) < 0) {
                throw new IOException("blob shorter than its recorded size");
            }
            buf.flip();
            remaining -= buf.remaining();
            write(buf, remaining == 0);
        }
    }

    private void write(ByteBuffer buffer, boolean last) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(last, buffer, cb);
            cb.block();
        }
    }

    public boolean isHead() {
        return "HEAD".equals(request.getMethod());
    }

    public boolean isCommitted() {
        return response.isCommitted();
    }
}
