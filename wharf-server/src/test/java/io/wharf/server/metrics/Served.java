package io.wharf.server.metrics;

import io.wharf.core.iam.Principal;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real Wharf (Application over SQLite and the filesystem in {@code data}) and a client, for the metrics tests. */
final class Served implements AutoCloseable {
    final Application app;
    final Backend backend;
    private final HttpClient http = HttpClient.newHttpClient();

    Served(Path data, boolean auth, WharfConfig.Metrics metrics) throws Exception {
        this(data, auth, metrics, Map.of());
    }

    /** @param env the environment {@code wharf serve} would see (the root's access key) */
    Served(Path data, boolean auth, WharfConfig.Metrics metrics, Map<String, String> env) throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(auth)).withShutdownTimeout(Duration.ofSeconds(2))
                .withMetrics(metrics);
        backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    static WharfConfig.Metrics metrics(WharfConfig.MetricsAccess access, WharfConfig.Listen listen, Path tokenFile,
                                       int maxRepositoryLabels) {
        return new WharfConfig.Metrics(true, java.util.Optional.ofNullable(listen), access,
                java.util.Optional.ofNullable(tokenFile), true, maxRepositoryLabels);
    }

    int port() {
        return app.server().port();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        return send(port(), method, path, body, headers);
    }

    HttpResponse<byte[]> send(int port, String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Basic {@code AWS:<token>} for the principal, as GetAuthorizationToken hands out. */
    String token(Principal principal) {
        return "Basic " + backend.auth().issueRegistryToken(principal).authorizationToken();
    }

    @Override
    public void close() {
        app.stop();
    }
}
