package io.wharf.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.cli.IamCli;
import io.wharf.server.config.WharfConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** A started Wharf with auth on, its root's and IAM users' keys, and the audit trail's store, for the audit tests. */
final class AuditServer implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";
    static final String ROOT_ARN = "arn:aws:iam::" + ACCOUNT + ":root";
    private static final String ALLOW = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":%s,"Resource":"*"}]}""";

    final Path data;
    final Application app;
    final Backend backend;
    final HttpClient http = HttpClient.newHttpClient();

    AuditServer(Path data, double readSampleRate) throws Exception {
        this.data = data;
        WharfConfig defaults = WharfConfig.defaults();
        WharfConfig.Audit a = defaults.audit();
        WharfConfig config = defaults.withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(5))
                .withAudit(new WharfConfig.Audit(true, readSampleRate, a.retention(), a.retentionInterval(),
                        a.queueCapacity(), a.batchSize(), Duration.ofMillis(20), 256));
        backend = Wiring.open(config, Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET),
                new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    /**
     * A new IAM user with a key ({id, secret}): allowed every ECR and CloudTrail action when {@code allowed}, else
     * only a registry token (so that its OCI calls are refused by authorization, not authentication).
     */
    String[] user(String name, boolean allowed) throws Exception {
        IamCli.run(data, "create-user", name);
        String actions = allowed ? "[\"ecr:*\",\"cloudtrail:*\"]" : "\"ecr:GetAuthorizationToken\"";
        Path policy = Files.writeString(data.resolve(name + "-policy.json"), ALLOW.formatted(actions));
        IamCli.run(data, "put-user-policy", name, "policy", policy.toString());
        return IamCli.run(data, "create-access-key", name).lines().map(l -> l.substring(l.indexOf('=') + 1))
                .toArray(String[]::new);
    }

    static String userArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + app.server().uri().getPort());
    }

    EcrClient ecr(String id, String secret) {
        return EcrClient.builder().endpointOverride(uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret))).build();
    }

    /** A SigV4-signed JSON 1.1 call, as the AWS CLI sends it. */
    HttpResponse<String> aws(String service, String target, String json, String id, String secret) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        URI uri = uri().resolve("/");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", target).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(SignRequest.builder(AwsCredentialsIdentity.create(id, secret))
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

    /** {@code Basic …} with the registry token of the key's owner (what docker login stores). */
    String basic(String id, String secret) {
        try (EcrClient c = ecr(id, secret)) {
            return "Basic " + c.getAuthorizationToken().authorizationData().getFirst().authorizationToken();
        }
    }

    HttpResponse<byte[]> send(String method, String path, String authorization, byte[] body, String contentType)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    List<AuditRecord> records() {
        return backend.registry().metadata().audit().findAudit(AuditQuery.newest(100_000));
    }

    /** The records once {@code done} holds of them (the writer batches; it gets 10 s). */
    List<AuditRecord> awaitRecords(Predicate<List<AuditRecord>> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<AuditRecord> records = records();
        while (!done.test(records) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            records = records();
        }
        assertThat(done.test(records)).as("records: %s", records).isTrue();
        return records;
    }

    @Override
    public void close() {
        app.stop();
    }
}
