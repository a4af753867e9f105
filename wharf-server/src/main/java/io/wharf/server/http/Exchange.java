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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
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

    /** The request's headers by case-insensitive name, each with its values in order (what SigV4 checks sign). */
    public static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        return headers;
    }

    /** The request itself: for what the exchange does not wrap (its attributes, such as its RequestFacts). */
    public Request request() {
        return request;
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
            return new BodyIncompleteException(Reason.TIMED_OUT, failure instanceof MinimumRequestRate.SlowBodyException
                    ? failure.getMessage() : "the request body stalled past the idle timeout");
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
     * connection, and the client would then lose the answer it was about to read. A body declared
     * longer than {@code max} is not read at all: the connection closes after the answer either way.
     */
    public void settleBodyBeforeError(long max) {
        Long declared = contentLength();
        if ((declared != null && declared > max) || !discardBody(max)) {
            setHeader("Connection", "close");
        }
    }

    /** Reads a whole small body, refusing more than {@code max} bytes. */
    public byte[] readBody(int max, String what) throws IOException {
        try (BodyBudget.Lease unbounded = new BodyBudget(Integer.MAX_VALUE).lease()) {
            return readBody(max, what, unbounded);
        }
    }

    /**
     * Reads a whole small body into {@code lease}'s budget: a declared length is taken before any
     * byte is read, a chunked body as its bytes arrive. Refuses more than {@code max} bytes
     * ({@link TooLargeException}) and what the budget cannot hold ({@link BodyBudget.ExhaustedException}).
     */
    public byte[] readBody(int max, String what, BodyBudget.Lease lease) throws IOException {
        Long declared = contentLength();
        if (declared != null && declared > max) {
            throw new TooLargeException(what + " exceeds the limit of " + max + " bytes", null);
        }
        if (declared != null) {
            lease.take(declared.intValue());
            return readDeclared(declared.intValue(), what);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        BodySource body = body();
        for (ByteBuffer b = body.next(); b != null; b = body.next()) {
            if (out.size() + b.remaining() > max) {
                throw new TooLargeException(what + " exceeds the limit of " + max + " bytes", null);
            }
            lease.take(b.remaining());
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.write(bytes);
        }
        return out.toByteArray();
    }

    /** Straight into an array of the declared size: no growing buffer, no final copy. */
    private byte[] readDeclared(int length, String what) throws IOException {
        byte[] bytes = new byte[length];
        int at = 0;
        BodySource body = body();
        for (ByteBuffer b = body.next(); b != null; b = body.next()) {
            if (b.remaining() > length - at) {
                throw new IOException(what + " is longer than its Content-Length");
            }
            int n = b.remaining();
            b.get(bytes, at, n);
            at += n;
        }
        if (at != length) {
            throw new IOException(what + " ended before its Content-Length");
        }
        return bytes;
    }

    public Exchange setHeader(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    /** Adds a header beside any of the same name (several {@code Set-Cookie}s). */
    public Exchange addHeader(String name, String value) {
        response.getHeaders().add(name, value);
        return this;
    }

    /** Drops headers set earlier (before anything was sent), e.g. a success's caching headers before an error. */
    public void removeHeaders(String... names) {
        for (String name : names) {
            response.getHeaders().remove(name);
        }
    }

    /** Sees each piece of a body just before it is written; throwing stops the response there. */
    @FunctionalInterface
    public interface BodyCheck {
        void beforeWrite(ByteBuffer piece, boolean last);
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
        sendContent(status, contentType, channel, offset, length, (piece, last) -> { });
    }

    /**
     * As {@link #sendContent(int, String, SeekableByteChannel, long, long)}, showing each piece to
     * {@code check} before it is written. When it throws after the first piece went out, the response
     * cannot become an error any more: the caller fails the exchange and Jetty aborts the connection, so
     * the client sees a broken transfer (its Content-Length is not reached), never a clean end.
     */
    public void sendContent(int status, String contentType, SeekableByteChannel channel, long offset, long length,
                            BodyCheck check) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (isHead() || length == 0) {
            write(ByteBuffer.allocate(0), true);
        } else if (channel instanceof FileChannel file) {
            sendMapped(file, offset, length, check);
        } else {
            sendCopied(channel, offset, length, check);
        }
    }

    private void sendMapped(FileChannel file, long offset, long length, BodyCheck check) throws IOException {
        long end = offset + length;
        for (long pos = offset; pos < end; pos += MAP_SEGMENT) {
            long n = Math.min(MAP_SEGMENT, end - pos);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment segment = file.map(FileChannel.MapMode.READ_ONLY, pos, n, arena);
                ByteBuffer piece = segment.asByteBuffer();
                check.beforeWrite(piece, pos + n == end);
                write(piece, pos + n == end);
            }
        }
    }

    private void sendCopied(SeekableByteChannel channel, long offset, long length, BodyCheck check) throws IOException {
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
            check.beforeWrite(buf, remaining == 0);
            write(buf, remaining == 0);
        }
    }

    /**
     * Starts a response whose {@code length} body bytes follow through {@link #writePiece} as they arrive (a blob
     * streamed from a pull-through cache's upstream while it is stored); a negative length is unknown (chunked).
     */
    public void startContent(int status, String contentType, long length) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        if (length >= 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        }
    }

    /** One piece of a body started with {@link #startContent}; blocks until it is written. */
    public void writePiece(ByteBuffer piece, boolean last) throws IOException {
        write(piece, last);
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
