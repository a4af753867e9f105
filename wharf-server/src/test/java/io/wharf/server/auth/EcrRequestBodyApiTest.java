package io.wharf.server.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.http.BodyBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ECR request bodies and memory, through the real wiring with {@code auth.enabled: true}: a caller
 * without valid credentials is answered before its body is read, and the bodies buffered at once
 * stay within {@code ecr.max-inflight-request-bytes}.
 */
class EcrRequestBodyApiTest {
    private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories";
    private static final int HUGE = 30 << 20;
    private static final int PART = 600 << 10;

    @TempDir
    Path data;
    private Application app;
    private BodyBudget budget;

    @BeforeEach
    void start() throws Exception {
        WharfConfig config = ConfigLoader.load(null, Map.of("WHARF_ECR_MAX_REQUEST_BYTES", "1MiB",
                        "WHARF_ECR_MAX_INFLIGHT_REQUEST_BYTES", "1MiB", "WHARF_LIMITS_ERROR_DRAIN_BYTES", "1MiB"), Map.of())
                .config().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(2));
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, RegistryAuthApiTest.ROOT_ID,
                AuthSetup.ENV_ROOT_SECRET, RegistryAuthApiTest.ROOT_SECRET);
        Backend backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        budget = new BodyBudget(config.ecr().maxInflightRequestBytes());
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth(), budget));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    /** Each refusal arrives while the client has sent 1 KiB of a 30 MiB body: the server did not wait for the rest. */
    @Test
    void callersWithoutValidCredentialsAreAnsweredBeforeTheirBodyIsRead() throws Exception {
        String unknownKey = "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWNUNKNOWNUN/" + amzDate().substring(0, 8) + "/us-east-1/ecr/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64);
        List<String> refusals = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String authorization = i % 2 == 0 ? null : unknownKey;
                answers.add(pool.submit(() -> stalledAt1KiB(authorization)));
            }
            for (Future<String> answer : answers) {
                refusals.add(answer.get());
            }
        }
        assertThat(refusals).hasSize(24).allSatisfy(r -> assertThat(r).containsAnyOf(
                "HTTP/1.1 403 Forbidden", "HTTP/1.1 400 Bad Request"));
        assertThat(refusals.stream().filter(r -> r.contains("MissingAuthenticationTokenException"))).hasSize(12);
        assertThat(refusals.stream().filter(r -> r.contains("UnrecognizedClientException"))).hasSize(12);
    }

    private String stalledAt1KiB(String authorization) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nX-Amz-Target: " + TARGET
                    + "\r\nX-Amz-Date: " + amzDate() + "\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Content-Length: " + HUGE + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(ISO_8859_1));
            out.write(new byte[1024]);
            out.flush();
            return response(s.getInputStream());
        }
    }

    /** A body that would overfill the budget is throttled while another holds it, and served once it is released. */
    @Test
    void bodiesBeyondTheInflightBudgetAreThrottled() throws Exception {
        byte[] body = paddedJson(PART);
        Socket holder = hold(body);
        try {
            // the held request takes its share once its thread reads the body: wait for that, not for a time
            for (int i = 0; i < 600 && budget.available() > (1 << 20) - PART; i++) {
                Thread.sleep(50);
            }
            assertThat(budget.available()).as("the held request's share").isEqualTo((1 << 20) - PART);
            String throttled = send(body);
            assertThat(throttled).startsWith("HTTP/1.1 400").contains("\"__type\":\"ThrottlingException\"")
                    .contains("Rate exceeded");
            assertThat(sendChunked(body)).as("a chunked body counts as it arrives").startsWith("HTTP/1.1 400")
                    .contains("\"__type\":\"ThrottlingException\"");

            OutputStream out = holder.getOutputStream();
            out.write(body, PART / 2, PART - PART / 2);
            out.flush();
            assertThat(response(holder.getInputStream())).startsWith("HTTP/1.1 200").contains("\"repositories\":[]");
        } finally {
            holder.close();
        }
        assertThat(send(body)).startsWith("HTTP/1.1 200");
        assertThat(sendChunked(body)).startsWith("HTTP/1.1 200");
    }

    /** Sends the head and half of the body, then nothing: the server holds the body's share of the budget. */
    private Socket hold(byte[] body) throws Exception {
        Socket holder = new Socket("127.0.0.1", port());
        holder.setSoTimeout(10_000);
        OutputStream out = holder.getOutputStream();
        out.write(signedHead(body));
        out.write(body, 0, PART / 2);
        out.flush();
        return holder;
    }

    /** The same request with {@code Transfer-Encoding: chunked}, in 64 KiB chunks. */
    private String sendChunked(byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            String head = new String(signedHead(body), ISO_8859_1)
                    .replace("Content-Length: " + body.length, "Transfer-Encoding: chunked");
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(ISO_8859_1));
            for (int at = 0; at < body.length; at += 64 << 10) {
                int n = Math.min(64 << 10, body.length - at);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
                out.write(body, at, n);
                out.write("\r\n".getBytes(ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(ISO_8859_1));
            out.flush();
            return response(s.getInputStream());
        }
    }

    /** Once the held request has taken its share (its thread may lag the bytes a moment), another is throttled. */
    private String send(byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(signedHead(body));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            return response(s.getInputStream());
        }
    }

    /** DescribeRepositories as JSON padded with spaces to {@code size} bytes. */
    private static byte[] paddedJson(int size) {
        String json = "{\"maxResults\":5}";
        return (json + " ".repeat(size - json.length())).getBytes(UTF_8);
    }

    private byte[] signedHead(byte[] body) {
        String host = "127.0.0.1:" + port();
        SdkSigner.Signed signed = SdkSigner.sign("POST", "http://" + host + "/", Map.of("X-Amz-Target", TARGET,
                        "Content-Type", "application/x-amz-json-1.1"), body, RegistryAuthApiTest.ROOT_ID,
                RegistryAuthApiTest.ROOT_SECRET, "us-east-1", Instant.now(), null);
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        signed.headers().forEach((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        if (!signed.headers().containsKey("Host")) {
            head.append("Host: ").append(host).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return head.toString().getBytes(ISO_8859_1);
    }

    /** Status line, headers and a Content-Length body, as text. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return text + new String(in.readNBytes(length), UTF_8);
    }

    private static String amzDate() {
        return DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").format(Instant.now().atOffset(ZoneOffset.UTC));
    }

    private int port() {
        return app.server().uri().getPort();
    }
}
