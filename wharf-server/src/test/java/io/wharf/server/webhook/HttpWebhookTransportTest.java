package io.wharf.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.core.webhook.WebhookTransport.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender against a real receiver on loopback: what it sends, and what a receiver cannot make it do. */
class HttpWebhookTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final HttpWebhookTransport transport = new HttpWebhookTransport();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ok", this::ok);
        server.createContext("/redirect", x -> answer(x, 302, Map.of("Location", base + "/ok")));
        server.createContext("/challenge", x -> answer(x, 401, Map.of("WWW-Authenticate", "Basic realm=\"x\"",
                "Set-Cookie", "s=1")));
        server.createContext("/hang", x -> {
            await();
            answer(x, 204, Map.of());
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void postsTheBodyAndHeadersOnceAndReportsTheStatus() {
        Outcome o = transport.post(base + "/ok?token=t", Map.of("Content-Type", "application/json", "Wharf-Event-Id", "e1"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(o).isEqualTo(new Outcome(204, null));
        assertThat(seen).containsExactly("/ok?token=t e1 application/json no-cookie {\"a\":1}");
    }

    @Test
    void neitherRedirectsNorChallengesNorCookiesAreFollowed() {
        assertThat(transport.post(base + "/redirect", Map.of(), new byte[0], TIMEOUT).status()).isEqualTo(302);
        assertThat(transport.post(base + "/challenge", Map.of(), new byte[0], TIMEOUT).status()).isEqualTo(401);
        transport.post(base + "/ok", Map.of("Wharf-Event-Id", "e2"), new byte[0], TIMEOUT);
        assertThat(seen).as("the redirect's target was not requested; no cookie came back")
                .containsExactly("/ok e2 application/json no-cookie ");
    }

    @Test
    void aHangingReceiverTimesOutAndFailuresNeverQuoteTheUrl() throws IOException {
        long start = System.nanoTime();
        assertThat(transport.post(base + "/hang", Map.of(), new byte[0], Duration.ofMillis(300)))
                .isEqualTo(new Outcome(0, "timed out after PT0.3S"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Outcome refused = transport.post("http://127.0.0.1:" + closed + "/x?token=secret", Map.of(), new byte[0], TIMEOUT);
        assertThat(refused.status()).isZero();
        assertThat(refused.error()).isNotBlank().doesNotContain("secret");
        Outcome bad = transport.post("http://127.0.0.1/x?token=se cret", Map.of(), new byte[0], TIMEOUT);
        assertThat(bad).isEqualTo(new Outcome(0, "not a valid URL"));
    }

    @Test
    void sendAnswersThroughTheCallbackOnceTheReceiverHas() throws Exception {
        CompletableFuture<Outcome> answer = transport.send(base + "/hang", Map.of(), new byte[0], TIMEOUT);
        Thread.sleep(100);
        assertThat(answer).as("the receiver has not answered yet").isNotDone();
        release.countDown();
        assertThat(answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(new Outcome(204, null));
        assertThat(transport.send("http://127.0.0.1/x?token=se cret", Map.of(), new byte[0], TIMEOUT))
                .isCompletedWithValue(new Outcome(0, "not a valid URL"));
    }

    private void ok(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<String> types = x.getRequestHeaders().get("Content-Type");
        String cookie = x.getRequestHeaders().getFirst("Cookie");
        seen.add(x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Wharf-Event-Id") + " "
                + (types == null ? null : String.join(",", types)) + " " + (cookie == null ? "no-cookie" : cookie) + " " + body);
        answer(x, 204, Map.of());
    }

    private void await() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange x, int status, Map<String, String> headers) throws IOException {
        x.getRequestBody().readAllBytes();
        headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        x.sendResponseHeaders(status, -1);
        x.close();
    }
}
