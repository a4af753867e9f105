package io.wharf.server.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.cli.IamCli;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.jobs.StandardJobs;
import org.eclipse.jetty.server.Handler;
import io.wharf.server.oci.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real Wharf for the console tests: the embedded default (SQLite and files in a temp data directory), all APIs
 * and the console on an ephemeral loopback port, authentication on with a known root key. Pushes images and makes
 * users through the real API and the real {@code wharf iam}.
 */
final class ConsoleServer implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";

    final Path data;
    final Backend backend;
    final Application app;
    private final HttpClient http = HttpClient.newHttpClient();

    ConsoleServer(Path data) throws Exception {
        this(data, true, c -> c);
    }

    ConsoleServer(Path data, boolean auth, UnaryOperator<WharfConfig> adjust) throws Exception {
        this(data, auth, adjust, null, null);
    }

    /** Authentication on; the console on {@code clock}, its sign-in throttle's delays waited by {@code pause}. */
    ConsoleServer(Path data, UnaryOperator<WharfConfig> adjust, Clock clock, SignInThrottle.Pause pause) throws Exception {
        this(data, true, adjust, clock, pause);
    }

    private ConsoleServer(Path data, boolean auth, UnaryOperator<WharfConfig> adjust, Clock clock,
                          SignInThrottle.Pause pause) throws Exception {
        this.data = data;
        WharfConfig config = adjust.apply(WharfConfig.defaults().withData(data)
                .withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(auth)).withShutdownTimeout(Duration.ofSeconds(2)));
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
        backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> clock == null ? Wiring.api(registry, config, b.auth())
                : new Handler.Sequence(Console.handler(registry, StandardJobs.scanService(config, registry), b.auth(),
                        config, null, null, clock, pause), Wiring.api(registry, config, b.auth())));
    }

    String base() {
        return "http://127.0.0.1:" + app.server().port();
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String rootToken() {
        return "Basic " + backend.auth().issueRegistryToken(Principal.root(ACCOUNT)).authorizationToken();
    }

    /** Pushes a one-layer image (config {@code {}}, a random layer) as the root; returns the manifest's digest. */
    String push(String repo, String tag) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(2000);
        for (byte[] blob : new byte[][] {config, layer}) {
            HttpResponse<String> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob),
                    blob, "Authorization", rootToken(), "Content-Type", "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, layer);
        HttpResponse<String> r = send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest,
                "Authorization", rootToken(), "Content-Type", Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Fixtures.digest(manifest);
    }

    /** Pushes an image of the given layers (config {@code {}} of linux/amd64) as the root; returns its digest. */
    String pushLayers(String repo, String tag, byte[]... layers) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(UTF_8);
        java.util.List<byte[]> blobs = new java.util.ArrayList<>(java.util.List.of(layers));
        blobs.add(config);
        for (byte[] blob : blobs) {
            HttpResponse<String> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob),
                    blob, "Authorization", rootToken(), "Content-Type", "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, layers);
        HttpResponse<String> r = send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest,
                "Authorization", rootToken(), "Content-Type", Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Fixtures.digest(manifest);
    }

    /** Makes the repository public through Wharf's API, then gives it {@code catalog} through the domain service. */
    void makePublic(String repo, io.wharf.core.gallery.CatalogData catalog) throws Exception {
        HttpResponse<String> r = send("PUT", "/wharf/v1/repositories/" + repo + "/public", null,
                "Authorization", rootToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        backend.registry().gallery().putCatalogData(new io.wharf.core.service.RepoKey(ACCOUNT,
                io.wharf.core.model.RepositoryName.parse(repo)), catalog);
    }

    /** Creates the user with the policy and an access key; returns {id, secret}. */
    String[] user(String name, String policy) throws Exception {
        IamCli.run(data, "create-user", name);
        Path file = data.resolve(name + "-policy.json");
        Files.writeString(file, policy);
        IamCli.run(data, "put-user-policy", name, "p", file.toString());
        String out = IamCli.run(data, "create-access-key", name);
        String id = null;
        String secret = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("AWS_ACCESS_KEY_ID=")) {
                id = line.substring("AWS_ACCESS_KEY_ID=".length()).strip();
            } else if (line.startsWith("AWS_SECRET_ACCESS_KEY=")) {
                secret = line.substring("AWS_SECRET_ACCESS_KEY=".length()).strip();
            }
        }
        return new String[] {id, secret};
    }

    @Override
    public void close() {
        app.stop();
    }
}
