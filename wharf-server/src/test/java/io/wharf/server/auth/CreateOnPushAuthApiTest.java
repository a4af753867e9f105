package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.core.model.RepositoryName;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.cli.IamCli;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push that would create its repository needs {@code ecr:CreateRepository} too (as ECR), and is refused before
 * anything — an upload session, a repository — exists. Real wiring: Jetty, SQLite, IAM, the {@code wharf iam} CLI.
 */
class CreateOnPushAuthApiTest {
    static final String ACCOUNT = "000000000000";
    static final String PUSH = "\"ecr:InitiateLayerUpload\",\"ecr:UploadLayerPart\",\"ecr:CompleteLayerUpload\","
            + "\"ecr:PutImage\",\"ecr:BatchCheckLayerAvailability\",\"ecr:BatchGetImage\"";

    @TempDir
    Path data;
    private Backend backend;
    private Application app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2));
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, "AKIAROOTROOTROOTROOT",
                AuthSetup.ENV_ROOT_SECRET, "rootrootrootrootrootrootrootrootrootroot");
        backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private String user(String name, String actions) throws Exception {
        IamCli.run(data, "create-user", name);
        Path file = data.resolve(name + ".json");
        Files.writeString(file, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions
                + "],\"Resource\":\"*\"}]}");
        IamCli.run(data, "put-user-policy", name, "p", file.toString());
        return "Basic " + backend.auth().issueRegistryToken(Principal.user(ACCOUNT, name)).authorizationToken();
    }

    private HttpResponse<String> send(String method, String path, String authorization, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.server().uri().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean exists(String repo) {
        return backend.registry().metadata().findRepository(ACCOUNT, new RepositoryName(repo)).isPresent();
    }

    @Test
    void aPushWithoutCreateRepositoryIsDeniedBeforeAnythingIsCreated() throws Exception {
        String pusher = user("pusher", PUSH);
        byte[] blob = Fixtures.randomBytes(32);
        HttpResponse<String> start = send("POST", "/v2/fresh/app/blobs/uploads/", pusher, null);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(403);
        assertThat(start.body()).contains("DENIED").contains("ecr:CreateRepository");
        HttpResponse<String> monolithic = send("POST", "/v2/fresh/app/blobs/uploads/?digest=" + Fixtures.digest(blob), pusher, blob);
        assertThat(monolithic.statusCode()).isEqualTo(403);
        HttpResponse<String> manifest = send("PUT", "/v2/fresh/app/manifests/v1", pusher, Fixtures.manifest(blob, blob));
        assertThat(manifest.statusCode()).isEqualTo(403);
        assertThat(exists("fresh/app")).isFalse();
        assertThat(backend.registry().metadata().countRepositories(ACCOUNT)).isZero();
    }

    @Test
    void withCreateRepositoryThePushCreatesAndAnExistingRepositoryNeedsNoCreateRepository() throws Exception {
        String creator = user("creator", PUSH + ",\"ecr:CreateRepository\"");
        String pusher = user("pusher", PUSH);
        byte[] blob = Fixtures.randomBytes(32);
        HttpResponse<String> created = send("POST", "/v2/made/app/blobs/uploads/?digest=" + Fixtures.digest(blob), creator, blob);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(exists("made/app")).isTrue();
        byte[] other = Fixtures.randomBytes(32);
        HttpResponse<String> again = send("POST", "/v2/made/app/blobs/uploads/?digest=" + Fixtures.digest(other), pusher, other);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    }
}
