package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.oci.TestRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * Base of the ECR API tests: one registry serving both APIs (real Jetty, filesystem + SQLite) per
 * class, and the AWS SDK for Java v2's EcrClient pointed at it, as users point it with an endpoint override.
 */
public abstract class EcrTest {
    protected static final String ACCOUNT = TestRegistry.ACCOUNT;
    protected static TestRegistry r;
    protected static EcrClient ecr;

    @BeforeAll
    static void start() throws Exception {
        r = new TestRegistry();
        ecr = client(r);
    }

    @AfterAll
    static void stop() throws Exception {
        ecr.close();
        r.close();
    }

    protected static EcrClient client(TestRegistry registry) {
        return EcrClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + registry.port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    /** Asserts the call fails with exactly this ECR {@code __type}. */
    protected static void assertEcrError(String type, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcrException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type));
    }

    /** A raw AWS JSON 1.1 call, for what the SDK would refuse to send or would hide. */
    protected static HttpResponse<byte[]> raw(TestRegistry registry, String operation, String json) throws Exception {
        return registry.send("POST", "/", json.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + operation);
    }

    protected static String body(HttpResponse<byte[]> res) {
        return new String(res.body(), StandardCharsets.UTF_8);
    }
}
