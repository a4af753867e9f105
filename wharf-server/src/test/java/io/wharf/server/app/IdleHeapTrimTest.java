package io.wharf.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The idle-time collection, driven by real requests through Jetty and a hand-moved clock. */
class IdleHeapTrimTest {
    private static final Duration QUIET = Duration.ofSeconds(5);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicLong committed = new AtomicLong(16L << 20);
    private final AtomicInteger collections = new AtomicInteger();
    private final IdleHeapTrim trim = new IdleHeapTrim(new Handler.Abstract() {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, Response response,
                org.eclipse.jetty.util.Callback callback) {
            response.setStatus(200);
            callback.succeeded();
            return true;
        }
    }, QUIET, clock::get, committed::get, () -> {
        collections.incrementAndGet();
        committed.set(20L << 20); // the collection shrinks the heap part of the way
    });
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(trim);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        client.close();
    }

    private void request() throws Exception {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        HttpResponse<Void> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
        trim.check();
    }

    @Test
    void collectsOnceWhenTheApiWentQuietAfterTheHeapGrew() throws Exception {
        request();
        committed.set(31L << 20);
        advance(Duration.ofSeconds(1)); // sees the request
        advance(Duration.ofSeconds(4));
        assertThat(collections).hasValue(0); // quiet for 4 s only

        advance(Duration.ofSeconds(1));
        assertThat(collections).hasValue(1);

        advance(Duration.ofSeconds(60)); // still quiet, heap unchanged since: nothing more to give back
        assertThat(collections).hasValue(1);
    }

    @Test
    void neverCollectsWhileRequestsKeepComing() throws Exception {
        committed.set(31L << 20);
        for (int i = 0; i < 10; i++) {
            request();
            advance(Duration.ofSeconds(3));
        }
        assertThat(collections).hasValue(0);
    }

    @Test
    void aTrickleOfRequestsThatDoesNotGrowTheHeapCausesNoCollections() throws Exception {
        for (int i = 0; i < 5; i++) { // e.g. a health check every 10 s
            request();
            advance(Duration.ofSeconds(1));
            advance(Duration.ofSeconds(10));
        }
        assertThat(collections).hasValue(0);
    }

    @Test
    void collectsAgainAfterTheHeapGrowsAgain() throws Exception {
        request();
        committed.set(31L << 20);
        advance(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(6));
        assertThat(collections).hasValue(1);

        request();
        committed.set(40L << 20);
        advance(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(6));
        assertThat(collections).hasValue(2);
    }
}
