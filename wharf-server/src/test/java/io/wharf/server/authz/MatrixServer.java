package io.wharf.server.authz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.Identities;
import io.wharf.core.identity.MfaDevice;
import io.wharf.core.identity.Totp;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * One Wharf with authentication on (SQLite, files, 127.0.0.1, an ephemeral port) and the matrix's principals: each
 * with its long-term key or temporary credentials and a registry password for {@code /v2/} and Wharf's API. Users,
 * keys, roles and the MFA device are made with {@link Identities} (what {@code wharf iam} calls); temporary
 * credentials come from the server's own STS through the AWS SDK, and a session's registry password from the ECR API's
 * GetAuthorizationToken, so it carries the session (and its MFA) as a real client's would.
 */
final class MatrixServer implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String OTHER_ACCOUNT = "222222222222";
    static final String REPO = "matrix/app";
    static final String PUBLIC_REPO = "matrix/pub";
    /** Never created: what another account (or a user with no policy) must not be able to tell from {@link #REPO}. */
    static final String ABSENT_REPO = "matrix/absent";
    static final String ROLE = "matrix-role";
    private static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    private static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";

    /** Credentials of one principal; all null for the anonymous caller. */
    record Creds(String keyId, String secret, String sessionToken, String registryAuthorization) {
    }

    final Application app;
    final Handler handler;
    final Map<MatrixPrincipal, Creds> creds = new EnumMap<>(MatrixPrincipal.class);
    final String manifestDigest;
    final String layerDigest;
    final byte[] manifest;
    private final Backend backend;
    private final Identities identities;
    private final HttpClient http = HttpClient.newHttpClient();

    MatrixServer(Path data) throws Exception {
        WharfConfig defaults = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2));
        // the console's refused sign-ins (anonymous, temporary credentials) must not slow or lock out the others'
        WharfConfig config = defaults.withConsole(defaults.console().withSignIn(new WharfConfig.SignInThrottle(1000, 1000,
                Duration.ofMinutes(15), 1000, Duration.ZERO)));
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
        backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        identities = AuthSetup.identities(config, (JdbcMetadataStore) backend.metadata(), Clock.systemUTC());
        Handler[] api = new Handler[1];
        Backend b = backend;
        app = Application.start(config, backend, registry -> api[0] = Wiring.api(registry, config, b.auth()));
        handler = api[0];
        byte[] config1 = "{\"matrix\":1}".getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(100);
        manifest = Fixtures.manifest(config1, layer);
        manifestDigest = Fixtures.digest(manifest);
        layerDigest = Fixtures.digest(layer);
        push(REPO, config1, layer);
        push(PUBLIC_REPO, config1, layer);
        assertThat(send("PUT", "/wharf/v1/repositories/" + PUBLIC_REPO + "/public", root(), null, null).statusCode())
                .isEqualTo(200);
        principals();
    }

    @Override
    public void close() {
        app.stop();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + app.server().uri().getPort());
    }

    HttpResponse<String> send(String method, String path, String authorization, byte[] body, String contentType)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(endpoint().resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String root() {
        return basic(Principal.root(ACCOUNT));
    }

    private String basic(Principal p) {
        return "Basic " + backend.auth().issueRegistryToken(p).authorizationToken();
    }

    /** The image every read probes: one config, one layer, tagged v1 (the repository is created on push). */
    private void push(String repo, byte[] config, byte[] layer) throws Exception {
        for (byte[] blob : new byte[][] {config, layer}) {
            var r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob), root(), blob,
                    "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        var r = send("PUT", "/v2/" + repo + "/manifests/v1", root(), manifest, Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private void principals() throws Exception {
        creds.put(MatrixPrincipal.ANONYMOUS, new Creds(null, null, null, null));
        user(MatrixPrincipal.NO_POLICY, ACCOUNT, "nobody", null);
        user(MatrixPrincipal.PULL_ONLY, ACCOUNT, "puller", MatrixPolicies.PULL);
        user(MatrixPrincipal.PUSH_ONLY, ACCOUNT, "pusher", MatrixPolicies.PUSH);
        AccessKey admin = user(MatrixPrincipal.ADMIN, ACCOUNT, "admin", MatrixPolicies.ADMIN);
        identities.ensureAccount(OTHER_ACCOUNT);
        user(MatrixPrincipal.OTHER_ACCOUNT, OTHER_ACCOUNT, "stranger", MatrixPolicies.ADMIN);
        AccessKey mfaUser = key(ACCOUNT, "mfa-user", MatrixPolicies.PUSH_NEEDS_MFA);
        MfaDevice device = identities.enableMfa(ACCOUNT, "mfa-user");
        try (StsClient sts = sts(basic(mfaUser))) {
            session(MatrixPrincipal.SESSION, sts.getSessionToken().credentials());
            String code = Totp.code(device.secret(), Totp.step(Instant.now()));
            session(MatrixPrincipal.MFA_SESSION,
                    sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code)).credentials());
        }
        identities.createRole(ACCOUNT, ROLE, MatrixPolicies.trustAccount(ACCOUNT), null);
        identities.putRolePolicy(ACCOUNT, ROLE, "p", MatrixPolicies.ECR_ALL);
        try (StsClient sts = sts(basic(admin))) {
            session(MatrixPrincipal.ROLE_SESSION, sts.assumeRole(r -> r.roleArn(roleArn()).roleSessionName("matrix"))
                    .credentials());
        }
    }

    static String roleArn() {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + ROLE;
    }

    private AccessKey key(String account, String name, String policy) {
        identities.createUser(account, name);
        if (policy != null) {
            identities.putUserPolicy(account, name, "p", policy);
        }
        return identities.createAccessKey(account, name);
    }

    /** A user with its key and a registry password as {@code wharf iam login-password} signs one (whatever its policy). */
    private AccessKey user(MatrixPrincipal who, String account, String name, String policy) {
        AccessKey key = key(account, name, policy);
        creds.put(who, new Creds(key.id(), key.secret(), null, basic(Principal.user(account, name))));
        return key;
    }

    /** Temporary credentials, and the registry password their own GetAuthorizationToken gives. */
    private void session(MatrixPrincipal who, Credentials c) {
        AwsCredentials aws = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        String token;
        try (EcrClient ecr = EcrClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(aws))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            token = ecr.getAuthorizationToken(r -> { }).authorizationData().getFirst().authorizationToken();
        }
        creds.put(who, new Creds(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), "Basic " + token));
    }

    private StsClient sts(AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static AwsCredentials basic(AccessKey key) {
        return AwsBasicCredentials.create(key.id(), key.secret());
    }
}
