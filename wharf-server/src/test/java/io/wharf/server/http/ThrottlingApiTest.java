package io.wharf.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * Throttling through the production wiring ({@code throttling.*} read from the environment), over real HTTP:
 * {@code /v2/} answers 429 TOOMANYREQUESTS with Retry-After, the ECR API ThrottlingException, both draw on the
 * same bucket, and the AWS SDK for Java v2 retries the ThrottlingException by itself.
 */
class ThrottlingApiTest {
    @TempDir
    Path data;
    private Application app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        // BatchGetImage: 3 at once, then one every 5 s (slow enough that the clock cannot refill one mid-test);
        // DescribeRepositories: 5 per second, one at a time, for the SDK's retries.
        WharfConfig config = ConfigLoader.load(null, Map.of("WHARF_AUTH_ENABLED", "false",
                        "WHARF_THROTTLING_ENABLED", "true",
                        "WHARF_THROTTLING_RATES", "BatchGetImage=0.2/3,DescribeRepositories=5/1"), Map.of())
                .config().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(2));
        Backend backend = Wiring.open(config, Map.of(), new PrintWriter(new StringWriter(), true));
        app = Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth()));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void registryApiAnswers429WithRetryAfterAndTheEcrApiThrottlingExceptionOnTheSameBucket() throws Exception {
        push("app", "v1");
        for (int i = 0; i < 3; i++) {
            assertThat(send("GET", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = send("GET", "/v2/app/manifests/v1", null);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"code\":\"TOOMANYREQUESTS\"").contains("Rate exceeded");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 5L);
        assertThat(send("HEAD", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(429); // HEAD is BatchGetImage too
        assertThat(send("GET", "/v2/app/tags/list", null).statusCode()).isEqualTo(200); // ListImages: not throttled

        try (EcrClient ecr = client(AwsRetryStrategy.doNotRetry(), new CopyOnWriteArrayList<>())) {
            assertThatThrownBy(() -> ecr.batchGetImage(b -> b.repositoryName("app").imageIds(i -> i.imageTag("v1"))))
                    .isInstanceOfSatisfying(EcrException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
        }
    }

    @Test
    void theSdkRetriesThrottlingExceptionsByItself() {
        List<String> errorTypes = new CopyOnWriteArrayList<>();
        var retries = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(10).build();
        try (EcrClient ecr = client(retries, errorTypes)) {
            for (int i = 0; i < 4; i++) {
                assertThat(ecr.describeRepositories().repositories()).isEmpty();
            }
        }
        // back to back, at most one call in 200 ms passes: the others were refused, then retried until they passed
        assertThat(errorTypes).contains("ThrottlingException").doesNotContain("other");
    }

    @Test
    void anUnknownOperationInTheRatesIsRefusedAtStart(@TempDir Path other) throws Exception {
        WharfConfig config = ConfigLoader.load(null, Map.of("WHARF_AUTH_ENABLED", "false",
                        "WHARF_THROTTLING_RATES", "BatchGetImages=5"), Map.of())
                .config().withData(other).withListen(new WharfConfig.Listen("127.0.0.1", 0));
        Backend backend = Wiring.open(config, Map.of(), new PrintWriter(new StringWriter(), true));
        assertThatThrownBy(() -> Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("throttling.rates").hasMessageContaining("BatchGetImages");
    }

    private EcrClient client(software.amazon.awssdk.retries.api.RetryStrategy retries, List<String> errorTypes) {
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.httpResponse().statusCode() != 200) {
                    errorTypes.add(context.httpResponse().firstMatchingHeader("X-Amzn-ErrorType").orElse("other"));
                }
            }
        };
        return EcrClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + app.server().port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .overrideConfiguration(c -> c.retryStrategy(retries).addExecutionInterceptor(recorder))
                .build();
    }

    private void push(String repo, String tag) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(100);
        for (byte[] blob : new byte[][] {config, layer}) {
            assertThat(send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob), blob)
                    .statusCode()).isEqualTo(201);
        }
        assertThat(send("PUT", "/v2/" + repo + "/manifests/" + tag, Fixtures.manifest(config, layer)).statusCode())
                .isEqualTo(201);
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.server().port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (path.contains("/manifests/") && body != null) {
            b.header("Content-Type", Fixtures.OCI_MANIFEST);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
