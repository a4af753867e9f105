package io.wharf.server.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A GET over plain HTTP/1.1 on a blocking socket, its body read straight into the reader's buffers (see
 * {@link PlainBody}). For blobs from plain-HTTP remotes: a first pull-through pull spent as much CPU in the JDK
 * client's selector hand-offs and buffer copies as in hashing. Only a 200 is taken here; anything else (a
 * challenge, a redirect, an error) is left to the JDK client, which handles them (the caller asks again there).
 */
final class PlainGet {
    /** Status line and headers read at most. */
    static final int MAX_HEAD = 64 << 10;

    private PlainGet() {
    }

    /** The status; on a 401 its challenge; on a 200 the body to read (else the connection is closed already). */
    record Answer(int status, String wwwAuthenticate, PlainBody body) {
    }

    /**
     * Sends the GET and reads the answer's head.
     *
     * @throws IOException when it cannot connect, stalls for {@code idle} or answers malformed HTTP
     */
    static Answer get(URI uri, Map<String, String> headers, Duration connectTimeout, Duration idle) throws IOException {
        ByteBuffer request = ByteBuffer.wrap(request(uri, headers).getBytes(StandardCharsets.ISO_8859_1));
        SocketChannel channel = connect(uri, connectTimeout);
        PlainBody.Watch watch = PlainBody.watch(channel, idle);
        try {
            while (request.hasRemaining()) {
                channel.write(request);
            }
            watch.touch();
            ByteBuffer buffer = ByteBuffer.allocate(MAX_HEAD);
            int end = readHead(channel, buffer, watch);
            Map<String, String> head = new HashMap<>();
            int status = parseHead(new String(buffer.array(), 0, end, StandardCharsets.ISO_8859_1), head);
            if (status != 200) {
                watch.close();
                return new Answer(status, head.get("www-authenticate"), null);
            }
            buffer.flip().position(end + 4);
            return new Answer(status, null, new PlainBody(channel, watch, buffer, bodyLength(head), chunked(head)));
        } catch (IOException | RuntimeException e) {
            watch.close();
            if (watch.timedOut()) {
                throw new HttpTimeoutException("the remote registry sent nothing for " + idle);
            }
            throw e;
        }
    }

    private static SocketChannel connect(URI uri, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            int port = uri.getPort() == -1 ? 80 : uri.getPort();
            channel.socket().connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(1, timeout.toMillis()));
            return channel;
        } catch (SocketTimeoutException e) {
            channel.close();
            throw new HttpConnectTimeoutException("connect timed out after " + timeout);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The request's bytes; one request per connection (blob bodies are long: no reuse to gain). */
    static String request(URI uri, Map<String, String> headers) {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder s = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
                .append(uri.getRawAuthority()).append("\r\n");
        headers.forEach((name, value) -> {
            if (!safe(name) || !safe(value)) { // the JDK client refuses these too
                throw new IllegalArgumentException("a header with a line break: " + name);
            }
            s.append(name).append(": ").append(value).append("\r\n");
        });
        return s.append("Connection: close\r\n\r\n").toString();
    }

    private static boolean safe(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0;
    }

    /** Reads until the empty line ending the headers; the offset of its CRLFCRLF. */
    private static int readHead(SocketChannel channel, ByteBuffer buffer, PlainBody.Watch watch) throws IOException {
        int scanned = 0;
        while (true) {
            if (!buffer.hasRemaining()) {
                throw new IOException("the remote registry's response headers exceed " + MAX_HEAD + " bytes");
            }
            if (channel.read(buffer) < 0) {
                throw new IOException("the remote registry closed the connection before its response headers");
            }
            watch.touch();
            byte[] b = buffer.array();
            for (int i = Math.max(0, scanned - 3); i + 3 < buffer.position(); i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                    return i;
                }
            }
            scanned = buffer.position();
        }
    }

    /** The status code; the headers into {@code head} by lower-case name (the first of repeated ones). */
    static int parseHead(String text, Map<String, String> head) throws IOException {
        String[] lines = text.split("\r\n"); // no line at all when the text is line ends only
        String[] status = lines.length == 0 ? new String[0] : lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].matches("[0-9]{3}")) {
            throw new IOException("the remote registry answered malformed HTTP");
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                head.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        return Integer.parseInt(status[1]);
    }

    private static boolean chunked(Map<String, String> head) {
        String coding = head.get("transfer-encoding");
        return coding != null && coding.toLowerCase(Locale.ROOT).endsWith("chunked");
    }

    /** Content-Length, -1 when absent or chunked (then the body ends with its last chunk, or with the connection). */
    private static long bodyLength(Map<String, String> head) throws IOException {
        String length = head.get("content-length");
        if (length == null || chunked(head)) {
            return -1;
        }
        long n = Transport.parseLong(length);
        if (n < 0) {
            throw new IOException("the remote registry answered a malformed Content-Length");
        }
        return n;
    }
}
