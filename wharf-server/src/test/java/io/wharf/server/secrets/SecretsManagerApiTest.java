package io.wharf.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.secret.UpstreamSecret;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.auth.AuthSetup;
import io.wharf.server.auth.StoredUpstreamSecrets;
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
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The Secrets Manager subset through the real wiring (IAM on, SQLite), requests signed by the AWS SDK's SigV4
 * signer for the service {@code secretsmanager}: what is stored opens through {@link StoredUpstreamSecrets}, no answer
 * carries the value.
 */
class SecretsManagerApiTest {
    static final String ACCOUNT = "000000000000";
    static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";
    static final String NAME = "ecr-pullthroughcache/mirror";
    static final String VALUE = "{\"username\":\"robot\",\"accessToken\":\"tok-5be2c0\"}";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private WharfConfig config;
    private Backend backend;
    private Application app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2));
        backend = Wiring.open(config, Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET),
                new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> call(String operation, String json, String keyId, String secret, String service)
            throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:" + app.server().uri().getPort() + "/");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager." + operation).build();
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

    private HttpResponse<String> root(String operation, String json) throws Exception {
        return call(operation, json, ROOT_ID, ROOT_SECRET, "secretsmanager");
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private UpstreamSecret opened(String name) throws Exception {
        return StoredUpstreamSecrets.open(config, backend.registry().metadata(), Clock.systemUTC()).read(ACCOUNT, name)
                .orElseThrow();
    }

    @Test
    void createPutDescribeListDeleteWithoutEverReturningTheValue() throws Exception {
        String arn = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:" + NAME;
        HttpResponse<String> created = root("CreateSecret", "{\"Name\":\"" + NAME + "\",\"Description\":\"mirror\","
                + "\"SecretString\":" + JSON.writeValueAsString(VALUE) + ",\"ClientRequestToken\":\"v1-token\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).get("ARN").asText()).isEqualTo(arn);
        assertThat(json(created).get("VersionId").asText()).isEqualTo("v1-token");
        assertThat(opened(NAME)).isEqualTo(new UpstreamSecret("robot", "tok-5be2c0"));

        HttpResponse<String> put = root("PutSecretValue", "{\"SecretId\":\"" + arn + "\",\"SecretString\":"
                + JSON.writeValueAsString("{\"username\":\"robot\",\"accessToken\":\"tok-2\"}") + "}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(opened(NAME).accessToken()).isEqualTo("tok-2");

        HttpResponse<String> described = root("DescribeSecret", "{\"SecretId\":\"" + NAME + "\"}");
        assertThat(json(described).get("Description").asText()).isEqualTo("mirror");
        assertThat(json(described).get("CreatedDate").isNumber()).isTrue();
        HttpResponse<String> listed = root("ListSecrets", "{}");
        assertThat(json(listed).get("SecretList").get(0).get("ARN").asText()).isEqualTo(arn);
        HttpResponse<String> get = root("GetSecretValue", "{\"SecretId\":\"" + NAME + "\"}");
        assertThat(get.statusCode()).isEqualTo(400);
        assertThat(json(get).get("__type").asText()).isEqualTo("InvalidRequestException");
        for (HttpResponse<String> r : new HttpResponse[] {created, put, described, listed, get}) {
            assertThat(r.body()).doesNotContain("tok-");
        }

        assertThat(root("DeleteSecret", "{\"SecretId\":\"" + NAME + "\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> gone = root("DescribeSecret", "{\"SecretId\":\"" + NAME + "\"}");
        assertThat(json(gone).get("__type").asText()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void errorsAreSecretsManagerShapedAndNeverEchoTheValue() throws Exception {
        root("CreateSecret", "{\"Name\":\"dup\",\"SecretString\":" + JSON.writeValueAsString(VALUE) + "}");
        HttpResponse<String> dup = root("CreateSecret", "{\"Name\":\"dup\",\"SecretString\":" + JSON.writeValueAsString(VALUE) + "}");
        assertThat(json(dup).get("__type").asText()).isEqualTo("ResourceExistsException");
        HttpResponse<String> bad = root("CreateSecret", "{\"Name\":\"bad\",\"SecretString\":\"plain tok-zzz\"}");
        assertThat(json(bad).get("__type").asText()).isEqualTo("InvalidParameterException");
        assertThat(bad.body()).doesNotContain("tok-zzz");
        HttpResponse<String> missing = root("PutSecretValue", "{\"SecretId\":\"nope\",\"SecretString\":"
                + JSON.writeValueAsString(VALUE) + "}");
        assertThat(json(missing).get("__type").asText()).isEqualTo("ResourceNotFoundException");
        HttpResponse<String> wrongService = call("ListSecrets", "{}", ROOT_ID, ROOT_SECRET, "ecr");
        assertThat(wrongService.statusCode()).isEqualTo(400);
        assertThat(json(wrongService).get("__type").asText()).isEqualTo("InvalidSignatureException");
        assertThat(wrongService.body()).contains("'secretsmanager'");
        HttpResponse<String> wrongSecret = call("ListSecrets", "{}", ROOT_ID, "x".repeat(40), "secretsmanager");
        assertThat(json(wrongSecret).get("__type").asText()).isEqualTo("InvalidSignatureException");
    }

    @Test
    void aUserNeedsSecretsManagerPermissions() throws Exception {
        IamCli.run(data, "create-user", "ecr-admin");
        Path policy = data.resolve("p.json");
        Files.writeString(policy, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\","
                + "\"Resource\":\"*\"}]}");
        IamCli.run(data, "put-user-policy", "ecr-admin", "p", policy.toString());
        String keys = IamCli.run(data, "create-access-key", "ecr-admin");
        String id = keys.lines().filter(l -> l.startsWith("AWS_ACCESS_KEY_ID=")).findFirst().orElseThrow().substring(18);
        String secret = keys.lines().filter(l -> l.startsWith("AWS_SECRET_ACCESS_KEY=")).findFirst().orElseThrow().substring(22);
        HttpResponse<String> denied = call("CreateSecret", "{\"Name\":\"x\",\"SecretString\":" + JSON.writeValueAsString(VALUE)
                + "}", id, secret, "secretsmanager");
        assertThat(denied.statusCode()).as(denied.body()).isIn(400, 403);
        assertThat(json(denied).get("__type").asText()).isEqualTo("AccessDeniedException");
        assertThat(backend.registry().metadata().secrets().findSecret(ACCOUNT, "x")).isEmpty();
    }
}
