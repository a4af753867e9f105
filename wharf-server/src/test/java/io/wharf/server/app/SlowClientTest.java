package io.wharf.server.app;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.WharfConfig.Listen;
import io.wharf.server.oci.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.min-request-data-rate} against real sockets, on the production server setup: a client that
 * trickles bytes often enough never to be idle is cut off with 408 once the idle timeout's worth of time has
 * passed, while a slow but steady one is served.
 */
class SlowClientTest {
    private static TestRegistry registry;
    private static WharfServer server;

    @BeforeAll
    static void start() throws Exception {
        registry = new TestRegistry();
        WharfConfig defaults = WharfConfig.defaults();
        WharfConfig config = defaults.withListen(new Listen("127.0.0.1", 0)).withShutdownTimeout(Duration.ofSeconds(5))
                .withLimits(defaults.limits().withIdleTimeout(Duration.ofSeconds(1)).withMinRequestDataRate(1000));
        server = new WharfServer(config, registry.api(), () -> true);
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        registry.close();
    }

    /** 10 bytes every 100 ms (100 B/s): never idle for the 1 s timeout, yet far below 1000 B/s. */
    @Test
    void aTricklingUploadIsCutOffWith408() throws Exception {
        long started = System.nanoTime();
        String answer = patch("trickle", 10, 100, 100_000);
        long took = (System.nanoTime() - started) / 1_000_000;
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"BLOB_UPLOAD_INVALID\"")
                .contains("slower than the minimum of 1000 bytes per second");
        assertThat(took).as("ms until the answer").isBetween(1000L, 5000L);
    }

    /** 400 bytes every 100 ms (4000 B/s) for 1.5 s: slow, but above the minimum, so served to its end. */
    @Test
    void aSlowButSteadyUploadIsServed() throws Exception {
        String answer = patch("steady", 400, 100, 6000);
        assertThat(answer).startsWith("HTTP/1.1 202");
    }

    /** PATCHes {@code total} bytes to a new upload, {@code step} bytes every {@code pauseMs}; the response. */
    private static String patch(String repo, int step, long pauseMs, int total) throws Exception {
        String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers()
                .firstValue("Location").orElseThrow();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + total + "\r\n\r\n").getBytes(ISO_8859_1));
            Thread writer = Thread.ofVirtual().start(() -> trickle(out, step, pauseMs, total));
            try {
                return read(s.getInputStream());
            } finally {
                writer.interrupt();
                writer.join();
            }
        }
    }

    private static void trickle(OutputStream out, int step, long pauseMs, int total) {
        try {
            for (int sent = 0; sent < total; sent += step) {
                out.write(new byte[Math.min(step, total - sent)]);
                out.flush();
                Thread.sleep(pauseMs);
            }
        } catch (IOException | InterruptedException e) {
            // the server answered and closed, or the test is done
        }
    }

    /** The response's head and body, up to the end of the JSON error or of the headers of a bodyless 202. */
    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.write(buf, 0, n);
                String text = got.toString(ISO_8859_1);
                if (text.contains("}]}") || text.startsWith("HTTP/1.1 202") && text.contains("\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // answer whatever arrived
        }
        return got.toString(ISO_8859_1);
    }
}
