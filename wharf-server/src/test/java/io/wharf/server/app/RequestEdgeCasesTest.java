package io.wharf.server.app;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Requests that break HTTP itself (undecodable queries, malformed or short bodies, clients that leave mid-upload),
 * against the production server setup ({@link WharfServer}: its Jetty configuration and access log).
 */
class RequestEdgeCasesTest {
    private static final String DIGEST = "sha256:" + "0".repeat(64);
    private static TestRegistry registry;
    private static WharfServer server;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeAll
    static void start() throws Exception {
        registry = new TestRegistry();
        WharfConfig defaults = WharfConfig.defaults();
        WharfConfig config = defaults.withListen(new Listen("127.0.0.1", 0)).withShutdownTimeout(Duration.ofSeconds(5))
                .withLimits(defaults.limits().withIdleTimeout(Duration.ofSeconds(2)));
        server = new WharfServer(config, registry.api(), () -> true);
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        registry.close();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
    }

    @Test
    void undecodableQueryValuesAreBadRequestsWithTheParametersCode() throws Exception {
        registry.send("POST", "/v2/edge/q/blobs/uploads/?digest=" + DIGEST, new byte[0]);
        String[][] cases = {
                {"GET /v2/_catalog?last=%FF", "NAME_INVALID"},
                {"GET /v2/_catalog?n=%FF", "PAGINATION_NUMBER_INVALID"},
                {"GET /v2/edge/q/tags/list?last=%FF", "TAG_INVALID"},
                {"GET /v2/edge/q/tags/list?last=%G1", "TAG_INVALID"},
                {"GET /v2/edge/q/referrers/" + DIGEST + "?artifactType=%FF", "UNSUPPORTED"},
                {"POST /v2/edge/q/blobs/uploads/?digest=%FF", "DIGEST_INVALID"},
                {"POST /v2/edge/q/blobs/uploads/?mount=%FF&from=edge/q", "DIGEST_INVALID"},
                {"POST /v2/edge/q/blobs/uploads/?mount=" + DIGEST + "&from=%FF", "NAME_INVALID"},
        };
        for (String[] c : cases) {
            String response = exchange(c[0] + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", true);
            assertThat(response).as(c[0]).startsWith("HTTP/1.1 400 ").contains("\"code\":\"" + c[1] + "\"");
        }
        assertThat(errors()).isEmpty();
    }

    @Test
    void malformedChunkedBodyIsABadRequest() throws Exception {
        String response = exchange("POST /v2/edge/chunked/blobs/uploads/?digest=" + DIGEST + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", true);
        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(errors()).isEmpty();
    }

    @Test
    void bodyShorterThanContentLengthIsABadRequestOnceTheClientStopsSending() throws Exception {
        long started = System.nanoTime();
        String response = exchange("POST /v2/edge/short/blobs/uploads/?digest=" + DIGEST + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 100\r\n\r\n0123456789", true);
        assertThat(response).startsWith("HTTP/1.1 400 ").contains("SIZE_INVALID");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(errors()).isEmpty();
    }

    @Test
    void bodyThatStallsTimesOutWith408() throws Exception {
        String response = exchange("POST /v2/edge/stall/blobs/uploads/?digest=" + DIGEST + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 100\r\n\r\n0123456789", false);
        assertThat(response).startsWith("HTTP/1.1 408 ");
        assertThat(errors()).isEmpty();
    }

    @Test
    void ecrBodiesThatBreakOffAreClientErrorsToo() throws Exception {
        String head = "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonEC2ContainerRegistry_V20150921.UploadLayerPart\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\n";
        String chunked = exchange(head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", true);
        assertThat(chunked).startsWith("HTTP/1.1 400 ").contains("SerializationException");
        String shortBody = exchange(head + "Content-Length: 100\r\n\r\n{\"repositoryName\"", true);
        assertThat(shortBody).startsWith("HTTP/1.1 400 ").contains("SerializationException");
        String stalled = exchange(head + "Content-Length: 100\r\n\r\n{\"repositoryName\"", false);
        assertThat(stalled).startsWith("HTTP/1.1 408 ").contains("RequestTimeoutException");
        assertThat(errors()).isEmpty();
    }

    @Test
    void clientLeavingMidUploadIsNoServerError() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        access.setLevel(Level.INFO);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH /v2/edge/gone/blobs/uploads/ HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(ISO_8859_1));
        }
        String location = registry.send("POST", "/v2/edge/gone/blobs/uploads/", null).headers()
                .firstValue("Location").orElseThrow();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
                    .getBytes(ISO_8859_1));
            out.write(new byte[50_000]);
            out.flush();
            Thread.sleep(200);
        }
        ILoggingEvent line = awaitAccessLine("PATCH " + location);
        assertThat(line.getFormattedMessage()).doesNotContain(" 500 ");
        assertThat(errors()).isEmpty();
    }

    private ILoggingEvent awaitAccessLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (ILoggingEvent e : captured()) {
                if (e.getLoggerName().equals(AccessLog.LOGGER) && e.getFormattedMessage().startsWith(prefix)) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access line for " + prefix + " in " + captured());
    }

    @Test
    void aTlsHelloOnThePlainPortGetsA400BeforeAnyParsingAndTheNextConnectionIsServed() throws Exception {
        for (int i = 0; i < 50; i++) { // as skopeo does per process: an https ping first, then plain HTTP
            String refused = exchange("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003"
                    + "x".repeat(300), false);
            assertThat(refused).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close")
                    .endsWith("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"this port speaks plain HTTP, not TLS\"}]}");
            assertThat(exchange("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", false))
                    .startsWith("HTTP/1.1 200 OK\r\n");
        }
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            org.assertj.core.api.Assertions.assertThatThrownBy(s::startHandshake).as("a real TLS client fails at once")
                    .isInstanceOf(IOException.class);
        }
        assertThat(exchange("\u0001GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", false)).as("other garbage: the parser's 400")
                .startsWith("HTTP/1.1 400 ");
        assertThat(errors()).isEmpty();
    }

    /** Everything logged at WARN or above, or with a stack trace. */
    /**
     * What was logged so far. Jetty's threads append while a test reads: copying under the appender's own
     * monitor (AppenderBase.doAppend holds it) avoids a ConcurrentModificationException.
     */
    private java.util.List<ILoggingEvent> captured() {
        synchronized (logs) {
            return java.util.List.copyOf(logs.list);
        }
    }

    private java.util.List<String> errors() {
        return captured().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    /** Sends the text, optionally half-closes (the client has no more to send), and reads the response. */
    private static String exchange(String request, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(ISO_8859_1));
            s.getOutputStream().flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    got.write(buf, 0, n);
                    String text = got.toString(ISO_8859_1);
                    if (text.contains("}]}") || text.contains("\"message\"") && text.endsWith("}")) {
                        break; // an error body is complete; no need to wait for the close
                    }
                }
            } catch (SocketTimeoutException e) {
                // answer whatever arrived
            }
            return got.toString(ISO_8859_1);
        }
    }
}
