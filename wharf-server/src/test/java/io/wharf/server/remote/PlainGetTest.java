package io.wharf.server.remote;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain-HTTP blob reader against a raw socket peer that answers exactly the bytes a test writes (chunked
 * bodies, a connection broken off, a stall): shapes a well-behaved registry front does not produce on demand.
 */
class PlainGetTest {
    private static final Duration IDLE = Duration.ofMillis(800);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    /** Answers every connection: reads the request's head, then writes {@code answer} and waits {@code stall}. */
    private URI peer(byte[] answer, Duration stall) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    requests.add(head(s.getInputStream()));
                    OutputStream out = s.getOutputStream();
                    out.write(answer);
                    out.flush();
                    Thread.sleep(stall.toMillis());
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v2/app/blobs/sha256:x?a=b");
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
            seen.write(in.read());
        }
        return seen.toString(ISO_8859_1);
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] concat(String head, byte[] body, String tail) {
        ByteBuffer b = ByteBuffer.allocate(head.length() + body.length + tail.length());
        return b.put(head.getBytes(ISO_8859_1)).put(body).put(tail.getBytes(ISO_8859_1)).array();
    }

    /** The whole body through direct buffers of {@code piece} bytes, as the pull-through cache reads it. */
    private static byte[] readAll(PlainBody body, int piece) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocateDirect(piece);
        while (body.read(buffer.clear()) >= 0) {
            byte[] got = new byte[buffer.flip().remaining()];
            buffer.get(got);
            all.write(got);
        }
        return all.toByteArray();
    }

    private static PlainGet.Answer get(URI uri) throws IOException {
        return PlainGet.get(uri, Map.of("Authorization", "Bearer t"), Duration.ofSeconds(2), IDLE);
    }

    @Test
    void aContentLengthBodyIsReadExactlyAndTheRequestCarriesTheHeaders() throws Exception {
        byte[] blob = Fixtures.randomBytes(300_000);
        URI uri = peer(concat("HTTP/1.1 200 OK\r\nContent-Length: " + blob.length + "\r\n\r\n", blob, ""), Duration.ZERO);
        try (PlainBody body = get(uri).body()) {
            assertThat(body.length()).isEqualTo(blob.length);
            assertThat(readAll(body, 7_000)).isEqualTo(blob);
        }
        assertThat(requests.getFirst()).startsWith("GET /v2/app/blobs/sha256:x?a=b HTTP/1.1\r\n")
                .contains("Host: 127.0.0.1:" + server.getLocalPort() + "\r\n", "Authorization: Bearer t\r\n");
    }

    @Test
    void aChunkedBodyIsDecodedWithExtensionsAndTrailers() throws Exception {
        byte[] blob = Fixtures.randomBytes(100_000);
        String a = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(60_000) + ";x=y\r\n";
        byte[] first = concat(a, java.util.Arrays.copyOf(blob, 60_000), "\r\n" + Integer.toHexString(40_000) + "\r\n");
        byte[] answer = concat(new String(first, ISO_8859_1), java.util.Arrays.copyOfRange(blob, 60_000, 100_000),
                "\r\n0\r\nX-Trailer: 1\r\n\r\n");
        try (PlainBody body = get(peer(answer, Duration.ZERO)).body()) {
            assertThat(body.length()).isEqualTo(-1);
            assertThat(readAll(body, 1 << 20)).isEqualTo(blob);
        }
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() throws Exception {
        byte[] blob = Fixtures.randomBytes(50_000);
        try (PlainBody body = get(peer(concat("HTTP/1.0 200 OK\r\n\r\n", blob, ""), Duration.ZERO)).body()) {
            assertThat(body.readAllBytes()).isEqualTo(blob);
        }
    }

    @Test
    void aBodyBrokenOffFailsTheRead() throws Exception {
        byte[] part = Fixtures.randomBytes(10_000);
        try (PlainBody body = get(peer(concat("HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n", part, ""),
                Duration.ZERO)).body()) {
            assertThatThrownBy(() -> readAll(body, 4096)).isInstanceOf(IOException.class).hasMessageContaining("broke off");
        }
        try (PlainBody body = get(peer(concat("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4e20\r\n", part, ""),
                Duration.ZERO)).body()) {
            assertThatThrownBy(() -> readAll(body, 4096)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aStallMidBodyOrBeforeTheHeadersTimesOut() throws Exception {
        byte[] part = Fixtures.randomBytes(1000);
        URI uri = peer(concat("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n", part, ""), Duration.ofSeconds(5));
        try (PlainBody body = get(uri).body()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> readAll(body, 4096)).isInstanceOf(HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        server.close();
        URI silent = peer(new byte[0], Duration.ofSeconds(5));
        assertThatThrownBy(() -> get(silent)).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void otherAnswersCloseAndReportTheirStatusAndChallenge() throws Exception {
        URI uri = peer("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"r\"\r\nContent-Length: 0\r\n\r\n"
                .getBytes(ISO_8859_1), Duration.ZERO);
        PlainGet.Answer a = get(uri);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.wwwAuthenticate()).isEqualTo("Bearer realm=\"r\"");
        assertThat(a.body()).isNull();
        server.close();
        assertThatThrownBy(() -> get(peer("HTTP/1.1 200 OK\r\n".repeat(5000).getBytes(ISO_8859_1), Duration.ZERO)))
                .isInstanceOf(IOException.class).hasMessageContaining("exceed");
        assertThatThrownBy(() -> PlainGet.get(uri, Map.of("X", "a\r\nEvil: 1"), Duration.ofSeconds(2), IDLE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistryClientReadsAChunkedBlobFromAPlainHttpRemote() throws Exception {
        byte[] blob = Fixtures.randomBytes(70_000);
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(blob.length) + "\r\n";
        URI uri = peer(concat(chunked, blob, "\r\n0\r\n\r\n"), Duration.ZERO);
        try (HttpRemoteRegistries remotes = new HttpRemoteRegistries(WharfConfig.Remote.DEFAULTS);
             RemoteBlob b = remotes.open(URI.create("http://127.0.0.1:" + server.getLocalPort()), RemoteCredentials.ANONYMOUS)
                     .blob("app", Digest.sha256Of(blob)).orElseThrow()) {
            assertThat(b.size()).isEqualTo(-1);
            assertThat(b.content().readAllBytes()).isEqualTo(blob);
        }
    }
}
