package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.WharfConfig.Listen;
import io.wharf.server.config.WharfConfig.Tls;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class WharfServerTest {
    private static final WharfConfig CONFIG = WharfConfig.defaults()
            .withListen(new Listen("127.0.0.1", 0))
            .withShutdownTimeout(Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private final List<WharfServer> servers = new ArrayList<>();
    private final EchoApi api = new EchoApi();

    private WharfServer start(WharfConfig config, BooleanSupplier ready) throws Exception {
        WharfServer server = new WharfServer(config, api, ready);
        servers.add(server);
        server.start();
        return server;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (WharfServer s : servers) {
            s.stop();
        }
    }

    @Test
    void answersProbesOverHttp() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(true);
        WharfServer server = start(CONFIG, ready::get);

        HttpResponse<String> health = Http.get(server.uri(), "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");
        assertThat(health.headers().firstValue("Date")).isPresent();
        assertThat(health.headers().firstValue("Server")).isEmpty();
        assertThat(Http.get(server.uri(), "/readyz").statusCode()).isEqualTo(200);

        ready.set(false);
        HttpResponse<String> notReady = Http.get(server.uri(), "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("not ready");
        assertThat(Http.get(server.uri(), "/healthz").statusCode()).isEqualTo(200); // liveness ignores readiness
    }

    @Test
    void logsOneAccessLinePerRequest() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            WharfServer server = start(CONFIG, () -> true);
            Http.get(server.uri(), "/v2/library/alpine/tags/list");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (lines.list.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10); // Jetty logs after the response completed
            }
            assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                    .matches("GET /v2/library/alpine/tags/list 200 32B \\d+ms 127\\.0\\.0\\.1");
        } finally {
            access.detachAppender(lines);
        }
    }

    @Test
    void probesAnswerHeadAndRefuseOtherMethods() throws Exception {
        WharfServer server = start(CONFIG, () -> true);
        Http.Raw head = Http.raw(server.port(), "HEAD", "/healthz");
        assertThat(head.status()).isEqualTo(200);
        Http.Raw post = Http.raw(server.port(), "POST", "/readyz");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.head()).contains("Allow: GET, HEAD");
    }

    @Test
    void readinessCheckThatThrowsMeansNotReady() throws Exception {
        WharfServer server = start(CONFIG, () -> {
            throw new IllegalStateException("database locked");
        });
        assertThat(Http.get(server.uri(), "/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void everythingElseReachesTheApiOnAVirtualThread() throws Exception {
        WharfServer server = start(CONFIG, () -> true);
        HttpResponse<String> r = Http.get(server.uri(), "/v2/library/alpine/tags/list");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("api /v2/library/alpine/tags/list");
        assertThat(api.ranOnVirtualThread).isTrue();
        assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    /** Jetty must not answer these with its own 400 page: the OCI handler turns them into OCI errors. */
    @ParameterizedTest
    @ValueSource(strings = {"/v2/a/../b/tags/list", "/v2/%2e%2e/b/tags/list", "/v2/a/%2E/b/tags/list",
            "/v2//b/tags/list", "/v2/a%2Fb/tags/list", "/v2/a;b/tags/list", "/v2/a%5Cb/tags/list",
            "/v2/a%25b/tags/list", "/v2/%2e%2e%2f%2e%2e%2fetc/tags/list"})
    void rawPathsReachTheApi(String target) throws Exception {
        WharfServer server = start(CONFIG, () -> true);
        Http.Raw r = Http.raw(server.port(), "GET", target);
        assertThat(r.status()).as(r.head() + r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("api " + target);
    }

    /** Jetty's URI parser refuses these itself (no setting changes that); the answer is still OCI error JSON. */
    @ParameterizedTest
    @ValueSource(strings = {"/v2/../../etc/passwd", "/v2/a%00b/tags/list"})
    void unparsableTargetsGetOciJson400(String target) throws Exception {
        WharfServer server = start(CONFIG, () -> true);
        Http.Raw r = Http.raw(server.port(), "GET", target);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"errors\":[{\"code\":\"NAME_INVALID\"")
                .doesNotContain("at org.eclipse").doesNotContain("Exception");
        assertThat(Http.get(server.uri(), "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void servesHttpsWithPemFiles() throws Exception {
        TestCerts.Pair rsa = TestCerts.rsa(dir);
        WharfServer server = start(CONFIG.withTls(Optional.of(new Tls(rsa.cert(), rsa.key()))), () -> true);
        assertThat(server.uri().getScheme()).isEqualTo("https");

        HttpClient client = HttpClient.newBuilder().sslContext(trusting(rsa)).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.sslSession()).isPresent();
    }

    @Test
    void plainPortSurvivesATlsClientHello() throws Exception {
        WharfServer server = start(CONFIG, () -> true);
        try (Socket plain = new Socket("127.0.0.1", server.port());
             SSLSocket tls = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                     .createSocket(plain, "127.0.0.1", server.port(), true)) {
            tls.setSoTimeout(5000);
            assertThatThrownBy(tls::startHandshake).isInstanceOf(SSLException.class);
        }
        assertThat(Http.get(server.uri(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(Http.get(server.uri(), "/v2/").body()).isEqualTo("api /v2/");
    }

    @Test
    void stopLetsInFlightRequestsFinish() throws Exception {
        WharfServer server = start(CONFIG, () -> true);
        CompletableFuture<HttpResponse<String>> slow = Http.CLIENT.sendAsync(
                java.net.http.HttpRequest.newBuilder(server.uri().resolve("/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.slowEntered.await(5, TimeUnit.SECONDS)).isTrue();

        long begin = System.nanoTime();
        server.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

        HttpResponse<String> r = slow.get(1, TimeUnit.SECONDS); // completed before stop() returned
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("api /slow");
        assertThat(stopMillis).isLessThan(5000);
        assertThatThrownBy(() -> Http.raw(server.port(), "GET", "/healthz")).isInstanceOf(ConnectException.class);
    }

    @Test
    void readyzFailsOnceStoppingBegins() throws Exception {
        WharfServer server = start(CONFIG, () -> true);
        try (Socket kept = new Socket("127.0.0.1", server.port())) {
            kept.setSoTimeout(5000);
            Http.send(kept.getOutputStream(), "GET", "/readyz", true);
            assertThat(Http.read(kept.getInputStream()).status()).isEqualTo(200);

            CompletableFuture<HttpResponse<String>> slow = Http.CLIENT.sendAsync(
                    java.net.http.HttpRequest.newBuilder(server.uri().resolve("/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.slowEntered.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!server.isStopping()) {
                Thread.onSpinWait();
            }
            Http.send(kept.getOutputStream(), "GET", "/readyz", true);
            assertThat(Http.read(kept.getInputStream()).status()).isEqualTo(503);
            assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            stopping.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void startFailsCleanlyWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            WharfServer server = new WharfServer(CONFIG.withListen(new Listen("127.0.0.1", taken.getLocalPort())),
                    api, () -> true);
            assertThatThrownBy(server::start).isInstanceOf(IOException.class).hasRootCauseInstanceOf(BindException.class);
        }
    }

    private static SSLContext trusting(TestCerts.Pair pair) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test", PemKeyStore.certificates(pair.cert()).getFirst());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
