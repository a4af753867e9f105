package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.iam.Principal;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.cli.WharfCommand;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real server with authentication on over a data directory, and a client with tokens for its principals. */
final class ApiServer implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path data;
    private final Backend backend;
    private final Application app;
    private final HttpClient http = HttpClient.newHttpClient();

    ApiServer(Path data) throws Exception {
        this(data, c -> c);
    }

    /** With {@code tweak} applied to the test configuration. */
    ApiServer(Path data, java.util.function.UnaryOperator<WharfConfig> tweak) throws Exception {
        this.data = data;
        WharfConfig config = tweak.apply(WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2))
                .withJobs(new WharfConfig.Jobs(Duration.ofSeconds(30), Duration.ofMillis(100))));
        backend = Wiring.open(config, Map.of(), new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    @Override
    public void close() {
        app.stop();
    }

    HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        return send(method, path, authorization, HttpRequest.BodyPublishers.noBody(), null);
    }

    /** @param contentType null: none */
    HttpResponse<String> send(String method, String path, String authorization, HttpRequest.BodyPublisher body,
                              String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.server().uri().getPort() + path))
                .method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    int port() {
        return app.server().uri().getPort();
    }

    /** The server's metadata store (to read what it wrote). */
    io.wharf.core.spi.MetadataStore metadata() {
        return backend.registry().metadata();
    }

    String root() {
        return token(Principal.root(ACCOUNT));
    }

    /** A user with {@code actions} allowed on {@code resource} (none: a user without policies). */
    String user(String name, String resource, String... actions) throws Exception {
        iam("create-user", name);
        if (actions.length > 0) {
            Path file = data.resolve(name + ".json");
            Files.writeString(file, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":%s,"Resource":"%s"}]}"""
                    .formatted(JSON.writeValueAsString(actions), resource));
            iam("put-user-policy", name, "policy", file.toString());
        }
        return token(Principal.user(ACCOUNT, name));
    }

    private String token(Principal principal) {
        return "Basic " + backend.auth().issueRegistryToken(principal).authorizationToken();
    }

    private void iam(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "iam";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        StringWriter err = new StringWriter();
        assertThat(WharfCommand.execute(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), all))
                .as(err.toString()).isZero();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
