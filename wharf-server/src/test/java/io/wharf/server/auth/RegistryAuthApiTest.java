package io.wharf.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.DocumentKind;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v2/} with {@code auth.enabled: true}, through the real wiring: Jetty, SQLite, the {@code wharf iam} CLI. */
class RegistryAuthApiTest {
    static final String ACCOUNT = "000000000000";
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";
    static final String PULL_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:BatchGetImage",
             "ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability","ecr:ListImages"],"Resource":"*"}]}""";

    @TempDir
    Path data;
    private WharfConfig config;
    private Backend backend;
    private Application app;
    private final StringWriter stderr = new StringWriter();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2));
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
        backend = Wiring.open(config, env, new PrintWriter(stderr, true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private int port() {
        return app.server().uri().getPort();
    }

    private HttpResponse<String> send(String method, String path, String authorization, byte[] body, String contentType)
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

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return send("GET", path, authorization, null, null);
    }

    private String basic(Principal principal) {
        return "Basic " + backend.auth().issueRegistryToken(principal).authorizationToken();
    }

    private String root() {
        return basic(Principal.root(ACCOUNT));
    }

    /** Runs {@code wharf iam ARGS} on the data directory; returns what it printed. */
    private String iam(String... args) {
        return IamCli.run(data, args);
    }

    private String userWithPolicy(String name, String policy) throws Exception {
        iam("create-user", name);
        if (policy != null) {
            Path file = data.resolve(name + ".json");
            Files.writeString(file, policy);
            iam("put-user-policy", name, "p", file.toString());
        }
        return basic(Principal.user(ACCOUNT, name));
    }

    /** Pushes a one-layer image as the root; returns the manifest. */
    private byte[] push(String repo, String tag) throws Exception {
        byte[] config = "{}".getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(100);
        for (byte[] blob : new byte[][] {config, layer}) {
            HttpResponse<String> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob),
                    root(), blob, "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, layer);
        HttpResponse<String> r = send("PUT", "/v2/" + repo + "/manifests/" + tag, root(), manifest, Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return manifest;
    }

    @Test
    void withoutCredentialsTheRegistryChallengesForBasic() throws Exception {
        for (String path : new String[] {"/v2/", "/v2/app/manifests/latest", "/v2/_catalog"}) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains(
                    "Basic realm=\"http://127.0.0.1:" + port() + "/\",service=\"ecr.amazonaws.com\"");
            assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
            assertThat(r.body()).contains("\"code\":\"UNAUTHORIZED\"");
        }
    }

    @Test
    void aTokenIsAcceptedAsBasicAwsAndNothingElseIs() throws Exception {
        assertThat(get("/v2/", root()).statusCode()).isEqualTo(200);
        String token = backend.auth().issueRegistryToken(Principal.root(ACCOUNT)).password();
        String wrongUser = "Basic " + Base64.getEncoder().encodeToString(("admin:" + token).getBytes(UTF_8));
        String tampered = "Basic " + Base64.getEncoder().encodeToString(("AWS:" + token.replace('.', 'x') + ".x").getBytes(UTF_8));
        String keyAsPassword = "Basic " + Base64.getEncoder().encodeToString((ROOT_ID + ":" + ROOT_SECRET).getBytes(UTF_8));
        for (String bad : new String[] {wrongUser, tampered, keyAsPassword, "Bearer " + token}) {
            HttpResponse<String> r = get("/v2/", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void theCliPrintsLoginPasswordsOfTheRunningServer() throws Exception {
        assertThat(get("/v2/", "Basic " + b64("AWS:" + iam("login-password", "--root"))).statusCode()).isEqualTo(200);
        push("team/app", "v1");
        iam("create-user", "reader");
        String reader = "Basic " + b64("AWS:" + iam("login-password", "reader"));
        // the password is the user's, not the root's: a user without policies is denied
        assertThat(get("/v2/team/app/manifests/v1", reader).statusCode()).isEqualTo(403);
        assertThat(get("/v2/", reader).statusCode()).isEqualTo(200);
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
    }

    @Test
    void anExpiredTokenIsDenied() throws Exception {
        byte[] key = KeyFiles.loadOrCreate(data, RegistryTokens.KEY_FILE, RegistryTokens.KEY_BYTES, new SecureRandom());
        RegistryTokens yesterday = new RegistryTokens(key, Clock.fixed(Instant.now().minus(Duration.ofHours(13)), ZoneOffset.UTC));
        HttpResponse<String> r = get("/v2/", "Basic " + yesterday.issue(Principal.root(ACCOUNT)).authorizationToken());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"DENIED\"")
                .contains("Your authorization token has expired. Reauthenticate and try again.");
    }

    /** The default cap, 256 open uploads, is per principal: one user reaching it does not stop another. */
    @Test
    void openUploadsAreCappedPerPrincipal() throws Exception {
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";
        String alice = userWithPolicy("alice", policy);
        String bob = userWithPolicy("bob", policy);
        for (int i = 0; i < 256; i++) {
            assertThat(send("POST", "/v2/capped/blobs/uploads/", alice, null, null).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> over = send("POST", "/v2/capped/blobs/uploads/", alice, null, null);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.body()).contains("\"code\":\"TOOMANYREQUESTS\"");
        assertThat(send("POST", "/v2/capped/blobs/uploads/", bob, null, null).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/v2/capped/blobs/uploads/", root(), null, null).statusCode()).isEqualTo(202);
    }

    @Test
    void eachRouteIsAuthorizedAsItsEcrAction() throws Exception {
        byte[] manifest = push("team/app", "v1");
        String nobody = userWithPolicy("nobody", null);
        assertThat(get("/v2/", nobody).statusCode()).isEqualTo(200); // authentication alone
        HttpResponse<String> denied = get("/v2/team/app/manifests/v1", nobody);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("\"code\":\"DENIED\"").contains("User: arn:aws:iam::000000000000:user/nobody"
                + " is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:000000000000:repository/team/app");
        assertThat(get("/v2/_catalog", nobody).body()).contains(
                "ecr:DescribeRepositories on resource: arn:aws:ecr:us-east-1:000000000000:repository/*");

        String puller = userWithPolicy("puller", PULL_POLICY);
        HttpResponse<String> pulled = get("/v2/team/app/manifests/v1", puller);
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(new String(manifest, UTF_8));
        assertThat(get("/v2/team/app/tags/list", puller).statusCode()).isEqualTo(200);
        HttpResponse<String> push = send("POST", "/v2/team/app/blobs/uploads/", puller, null, null);
        assertThat(push.statusCode()).isEqualTo(403);
        assertThat(push.body()).contains("ecr:InitiateLayerUpload");
        assertThat(send("DELETE", "/v2/team/app/manifests/v1", puller, null, null).body()).contains("ecr:BatchDeleteImage");
    }

    @Test
    void anExplicitDenyInAnIdentityPolicyWins() throws Exception {
        push("team/app", "v1");
        String policy = """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"ecr:*","Resource":"*"},
                 {"Effect":"Deny","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:*:*:repository/team/*"}]}""";
        String user = userWithPolicy("limited", policy);
        assertThat(get("/v2/team/app/manifests/v1", user).statusCode()).isEqualTo(403);
        assertThat(get("/v2/team/app/tags/list", user).statusCode()).isEqualTo(200);
    }

    @Test
    void aRepositoryPolicyCanDenyOrGrant() throws Exception {
        // policies before the first request: the server caches what it read for IamAuth.DEFAULT_CACHE_TTL
        long locked = backend.metadata().createRepository(ACCOUNT, RepositoryName.parse("team/app"), Instant.now()).id();
        long open = backend.metadata().createRepository(ACCOUNT, RepositoryName.parse("team/open"), Instant.now()).id();
        backend.metadata().putRepositoryDocument(locked, DocumentKind.REPOSITORY_POLICY, """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoPull","Effect":"Deny","Principal":"*",
                 "Action":"ecr:BatchGetImage"}]}""", Instant.now());
        backend.metadata().putRepositoryDocument(open, DocumentKind.REPOSITORY_POLICY, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/guest"},
                 "Action":"ecr:BatchGetImage"}]}""", Instant.now());
        push("team/app", "v1");
        push("team/open", "v1");
        String puller = userWithPolicy("puller", PULL_POLICY);
        assertThat(get("/v2/team/app/manifests/v1", puller).statusCode()).isEqualTo(403);
        String guest = userWithPolicy("guest", null);
        assertThat(get("/v2/team/open/manifests/v1", guest).statusCode()).isEqualTo(200);
        assertThat(get("/v2/team/app/manifests/v1", guest).statusCode()).isEqualTo(403);
    }

    @Test
    void aMountNeedsReadAccessToItsSource() throws Exception {
        push("private/base", "v1");
        String pusher = userWithPolicy("pusher", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*",
                 "Resource":"arn:aws:ecr:*:*:repository/mine/*"}]}""");
        String digest = Fixtures.digest("{}".getBytes(UTF_8));
        HttpResponse<String> r = send("POST", "/v2/mine/app/blobs/uploads/?mount=" + digest + "&from=private/base",
                pusher, null, null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("ecr:GetDownloadUrlForLayer on resource: arn:aws:ecr:us-east-1:000000000000:repository/private/base");
        assertThat(send("POST", "/v2/mine/app/blobs/uploads/", pusher, null, null).statusCode()).isEqualTo(202);
    }

    /** A pusher confined to mine/*; reading shared/* is granted by the test where it needs it. */
    private static final String MINE_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*",
             "Resource":"arn:aws:ecr:*:*:repository/mine/*"}]}""";

    /** Answers an automatic mount ({@code ?mount=} with no or an empty {@code from}) of {@code blob} into mine/app. */
    private HttpResponse<String> autoMount(String who, byte[] blob, String fromQuery) throws Exception {
        return send("POST", "/v2/mine/app/blobs/uploads/?mount=" + Fixtures.digest(blob) + fromQuery, who, null, null);
    }

    private static void assertUploadStartedInstead(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(
                l -> assertThat(l).startsWith("/v2/mine/app/blobs/uploads/"));
    }

    private byte[] pushBlob(String repo) throws Exception {
        byte[] blob = Fixtures.randomBytes(64);
        HttpResponse<String> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob),
                root(), blob, "application/octet-stream");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return blob;
    }

    @Test
    void anAutomaticMountNeverLinksABlobTheCallerMayNotRead() throws Exception {
        byte[] secret = pushBlob("private/base");
        String pusher = userWithPolicy("pusher", MINE_ONLY);
        assertUploadStartedInstead(autoMount(pusher, secret, ""));
        assertUploadStartedInstead(autoMount(pusher, secret, "&from="));
        assertThat(get("/v2/mine/app/blobs/" + Fixtures.digest(secret), pusher).statusCode()).isEqualTo(404);
        // the answer is the same as for a digest that exists nowhere: nothing is revealed
        assertUploadStartedInstead(autoMount(pusher, Fixtures.randomBytes(64), ""));
    }

    @Test
    void anAutomaticMountLinksFromARepositoryTheCallerMayRead() throws Exception {
        pushBlob("private/base");
        byte[] shared = pushBlob("shared/lib");
        String pusher = userWithPolicy("pusher", MINE_ONLY);
        Files.writeString(data.resolve("read-shared.json"), """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetDownloadUrlForLayer",
                 "Resource":"arn:aws:ecr:*:*:repository/shared/*"}]}""");
        iam("put-user-policy", "pusher", "read-shared", data.resolve("read-shared.json").toString());
        HttpResponse<String> mounted = autoMount(pusher, shared, "");
        assertThat(mounted.statusCode()).as(mounted.body()).isEqualTo(201);
        assertThat(get("/v2/mine/app/blobs/" + Fixtures.digest(shared), pusher).statusCode()).isEqualTo(200);
    }

    @Test
    void anAutomaticMountHonoursARepositoryPolicyThatDeniesTheCaller() throws Exception {
        // the policy before the first request, as the policy cache would otherwise keep the empty one
        long locked = backend.metadata().createRepository(ACCOUNT, RepositoryName.parse("team/locked"), Instant.now()).id();
        backend.metadata().putRepositoryDocument(locked, DocumentKind.REPOSITORY_POLICY, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::000000000000:user/pusher"},
                 "Action":"ecr:*"}]}""", Instant.now());
        byte[] blob = pushBlob("team/locked");
        String pusher = userWithPolicy("pusher", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
        assertUploadStartedInstead(autoMount(pusher, blob, ""));
    }

    @Test
    void anAutomaticMountIgnoresBlobsTheirOwnerDeleted() throws Exception {
        byte[] unlinked = pushBlob("shared/lib");
        byte[] inDeletedRepo = pushBlob("shared/gone");
        String pusher = userWithPolicy("pusher", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
        assertThat(send("DELETE", "/v2/shared/lib/blobs/" + Fixtures.digest(unlinked), root(), null, null).statusCode())
                .isEqualTo(202);
        long gone = backend.metadata().findRepository(ACCOUNT, RepositoryName.parse("shared/gone")).orElseThrow().id();
        backend.metadata().deleteRepository(gone);
        assertUploadStartedInstead(autoMount(pusher, unlinked, ""));
        assertUploadStartedInstead(autoMount(pusher, inDeletedRepo, ""));
        assertUploadStartedInstead(send("POST", "/v2/mine/app/blobs/uploads/?mount=" + Fixtures.digest(unlinked)
                + "&from=shared/lib", pusher, null, null));
    }

    @Test
    void theRootKeyComesFromTheEnvironmentAndIsWrittenPrivately() throws Exception {
        Path credentials = data.resolve(AuthSetup.CREDENTIALS_FILE);
        assertThat(Files.readString(credentials)).contains("[wharf]", "aws_access_key_id = " + ROOT_ID,
                "aws_secret_access_key = " + ROOT_SECRET);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(stderr.toString()).doesNotContain(ROOT_SECRET); // the operator chose it; no need to show it
    }
}
