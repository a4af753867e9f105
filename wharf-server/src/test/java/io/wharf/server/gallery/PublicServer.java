package io.wharf.server.gallery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
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
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** A server with {@code auth.enabled: true} on a SQLite data directory, and raw HTTP helpers for the tests here. */
final class PublicServer implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";

    final Path data;
    final Backend backend;
    final Application app;
    private final HttpClient http = HttpClient.newHttpClient();

    PublicServer(Path data, boolean auth) throws Exception {
        this.data = data;
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(auth)).withShutdownTimeout(Duration.ofSeconds(2))
                .withGallery(new WharfConfig.Gallery(2, 3));
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
        backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    @Override
    public void close() {
        app.stop();
    }

    int port() {
        return app.server().uri().getPort();
    }

    HttpResponse<String> send(String method, String path, String authorization, byte[] body, String contentType)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null, null);
    }

    String root() {
        return "Basic " + backend.auth().issueRegistryToken(Principal.root(ACCOUNT)).authorizationToken();
    }

    /** A user with {@code policy} (null: none); returns its Basic credentials. */
    String user(String name, String policy) throws Exception {
        IamCli.run(data, "create-user", name);
        if (policy != null) {
            Path file = data.resolve(name + ".json");
            Files.writeString(file, policy);
            IamCli.run(data, "put-user-policy", name, "p", file.toString());
        }
        return "Basic " + backend.auth().issueRegistryToken(Principal.user(ACCOUNT, name)).authorizationToken();
    }

    /** Pushes a one-layer image as the root; returns the manifest and the layer. */
    byte[][] push(String repo, String tag) throws Exception {
        byte[] config = ("{\"tag\":\"" + tag + "\"}").getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(100);
        for (byte[] blob : new byte[][] {config, layer}) {
            HttpResponse<String> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob),
                    root(), blob, "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, layer);
        HttpResponse<String> r = send("PUT", "/v2/" + repo + "/manifests/" + tag, root(), manifest, Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new byte[][] {manifest, layer};
    }

    /** An ECR Public operation ({@code SpencerFrontendService.<operation>}) signed by the AWS SDK's SigV4 signer. */
    HttpResponse<String> ecrPublic(String operation, String json, String keyId, String secret) throws Exception {
        return signed("ecr-public", operation, json, keyId, secret);
    }

    /** As {@link #ecrPublic(String, String, String, String)}, signed for {@code service}. */
    HttpResponse<String> signed(String service, String operation, String json, String keyId, String secret)
            throws Exception {
        byte[] body = json.getBytes(UTF_8);
        URI uri = URI.create("http://127.0.0.1:" + port() + "/");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "SpencerFrontendService." + operation).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(SignRequest.builder(AwsCredentialsIdentity.create(keyId, secret))
                .request(unsigned).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").build()).request();
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length")) {
                vs.forEach(v -> r.header(k, v));
            }
        });
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> ecrPublic(String operation, String json) throws Exception {
        return ecrPublic(operation, json, ROOT_ID, ROOT_SECRET);
    }

    /** A user with {@code policy}; returns its access key id and secret. */
    String[] userKeys(String name, String policy) throws Exception {
        user(name, policy);
        String keys = IamCli.run(data, "create-access-key", name);
        String id = keys.lines().filter(l -> l.startsWith("AWS_ACCESS_KEY_ID=")).findFirst().orElseThrow().substring(18);
        String secret = keys.lines().filter(l -> l.startsWith("AWS_SECRET_ACCESS_KEY=")).findFirst().orElseThrow().substring(22);
        return new String[] {id, secret};
    }

    /** Makes {@code repo} public ({@code true}) or private through Wharf's API as the root. */
    HttpResponse<String> setPublic(String repo, boolean isPublic) throws Exception {
        return send(isPublic ? "PUT" : "DELETE", "/wharf/v1/repositories/" + repo + "/public", root(), null, null);
    }
}
