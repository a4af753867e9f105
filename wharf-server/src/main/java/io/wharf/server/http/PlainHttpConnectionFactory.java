package io.wharf.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP/1.1 on a plain port, answering a TLS hello with a fixed 400 and closing before Jetty's HTTP parser sees it.
 *
 * <p>Why: docker, podman, skopeo and containerd ping an insecure registry over https first, so every client process
 * sends one. Parsed as HTTP it is a bad message, which Jetty answers on a second thread while the first goes on with
 * the connection; the two could release its pooled request buffer twice, and the pool then handed that buffer to two
 * later connections at once: about one skopeo copy in 1,500 read EOF, stalled 30 s, or got a 400 for a well-formed
 * ping (e2e/soak-skopeo.sh). Clients read this answer as "server gave HTTP response to HTTPS client" and go on over
 * plain HTTP, as they did after the parser's 400. The first bytes of each connection are read here, in the thread
 * that then parses them, and handed to the HTTP connection: one read as before, no extra round.
 */
public final class PlainHttpConnectionFactory extends HttpConnectionFactory {
    private static final byte TLS_HANDSHAKE_RECORD = 0x16; // no HTTP method starts with it
    /** Enough for a whole request head in most cases, so the parser needs no second read. */
    private static final int FIRST_READ_BYTES = 4096;

    private final byte[] refusal;

    /** @param body the error JSON a TLS hello is answered with */
    public PlainHttpConnectionFactory(HttpConfiguration config, String body) {
        super(config);
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        refusal = new byte[head.length + json.length];
        System.arraycopy(head, 0, refusal, 0, head.length);
        System.arraycopy(json, 0, refusal, head.length, json.length);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        FirstBytesChecked connection = new FirstBytesChecked(getHttpConfiguration(), connector, endPoint, refusal);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** Reads the connection's first bytes itself: a TLS hello is refused, anything else goes to the HTTP parser. */
    private static final class FirstBytesChecked extends HttpConnection {
        private final byte[] refusal;
        private boolean checked;

        FirstBytesChecked(HttpConfiguration config, Connector connector, EndPoint endPoint, byte[] refusal) {
            super(config, connector, endPoint);
            this.refusal = refusal;
        }

        @Override
        public void onFillable() {
            if (!checked) {
                ByteBuffer first = BufferUtil.allocate(FIRST_READ_BYTES);
                int read;
                try {
                    read = getEndPoint().fill(first);
                } catch (IOException e) {
                    read = -1; // the HTTP connection's own read meets the failure again and closes
                }
                if (read > 0) {
                    checked = true;
                    if (first.get(first.position()) == TLS_HANDSHAKE_RECORD) {
                        EndPoint endPoint = getEndPoint();
                        endPoint.write(Callback.from(endPoint::close, endPoint::close), ByteBuffer.wrap(refusal));
                        return;
                    }
                    onUpgradeTo(first); // into the request buffer, parsed below as if read there
                }
            }
            super.onFillable();
        }
    }
}
