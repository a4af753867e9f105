package io.wharf.server.sts;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.Identities;
import io.wharf.core.testing.ManualClock;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.auth.StoredResourcePolicies;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A Wharf with IAM on real SQLite and real HTTP whose authentication runs on a {@link ManualClock} (expiry without
 * sleeping; it starts at the real time so that the SDK's signatures are current), with helpers for identities and
 * the AWS SDK's STS and ECR clients.
 */
abstract class StsFixture {
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";

    @TempDir
    Path data;
    Application app;
    String account;
    Identities identities;
    final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @BeforeEach
    void start() throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2));
        account = config.account();
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
        PrintWriter quiet = new PrintWriter(new StringWriter(), true);
        Backend backend = Wiring.open(config, env, quiet);
        JdbcMetadataStore meta = (JdbcMetadataStore) backend.metadata();
        Auth auth = AuthSetup.open(config, meta, new StoredResourcePolicies(meta), env, quiet, clock);
        identities = AuthSetup.identities(config, meta, clock);
        WharfConfig started = config;
        app = Application.start(started, backend, registry -> Wiring.api(registry, started, auth));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + app.server().uri().getPort());
    }

    /** A user with an access key and, when given, an inline policy. */
    AccessKey user(String name, String policy) {
        identities.createUser(account, name);
        if (policy != null) {
            identities.putUserPolicy(account, name, "p", policy);
        }
        return identities.createAccessKey(account, name);
    }

    String role(String name, String trust, String policy) {
        String arn = identities.createRole(account, name, trust, null).arn();
        if (policy != null) {
            identities.putRolePolicy(account, name, "p", policy);
        }
        return arn;
    }

    StsClient sts(AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    EcrClient ecr(AwsCredentials credentials) {
        return EcrClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    static AwsCredentials basic(AccessKey key) {
        return AwsBasicCredentials.create(key.id(), key.secret());
    }

    static AwsCredentials session(Credentials c) {
        return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    /** Uploads an image config through the ECR API's layer upload and returns a manifest of it with no layers. */
    static String imageManifest(EcrClient ecr, String repository) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
        String upload = ecr.initiateLayerUpload(r -> r.repositoryName(repository)).uploadId();
        ecr.uploadLayerPart(r -> r.repositoryName(repository).uploadId(upload).partFirstByte(0L)
                .partLastByte((long) config.length - 1).layerPartBlob(SdkBytes.fromByteArray(config)));
        ecr.completeLayerUpload(r -> r.repositoryName(repository).uploadId(upload).layerDigests(digest));
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":"
                + config.length + "},\"layers\":[]}";
    }
}
