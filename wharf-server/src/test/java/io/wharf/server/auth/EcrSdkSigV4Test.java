package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.iam.Principal;
import io.wharf.core.identity.Identities;
import io.wharf.core.identity.InMemoryIdentityStore;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * The real EcrClient against a Jetty server whose only job is {@link Auth#authenticateAws}: it answers
 * DescribeRegistry with the caller's account, or the AWS error. So every header, the port in Host,
 * and the SDK's clock-skew correction are exercised exactly as the ECR API will see them.
 */
class EcrSdkSigV4Test {
    private static final String ACCOUNT = "123456789012";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

    private final Identities identities = new Identities(new InMemoryIdentityStore(), Clock.systemUTC(), new SecureRandom());
    private final AtomicReference<Clock> serverClock = new AtomicReference<>(Clock.systemUTC());
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        identities.ensureAccount(ACCOUNT);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                answer(request, response, callback);
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private void answer(Request request, Response response, Callback callback) throws Exception {
        ByteBuffer received = Content.Source.asByteBuffer(request);
        byte[] body = new byte[received.remaining()];
        received.get(body);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName(), n -> new ArrayList<>()).add(f.getValue());
        }
        Clock clock = serverClock.get();
        IamAuth auth = new IamAuth(identities.store(), new RegistryTokens(new byte[32], clock), ResourcePolicies.NONE,
                clock, Duration.ofSeconds(1));
        String json;
        int status;
        try {
            Principal p = auth.authenticateAws(request.getMethod(), request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), headers, body);
            status = 200;
            json = "{\"registryId\":\"" + p.account() + "\",\"replicationConfiguration\":{\"rules\":[]}}";
        } catch (AuthException e) {
            status = e.httpStatus();
            json = "{\"__type\":\"" + e.awsType() + "\",\"message\":\"" + e.getMessage() + "\"}";
        }
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/x-amz-json-1.1");
        response.getHeaders().put("Date", HTTP_DATE.format(ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC)));
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private EcrClient client(String id, String secret, boolean retries) {
        return EcrClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.of("eu-central-2"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
                .overrideConfiguration(c -> {
                    if (!retries) {
                        c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                })
                .build();
    }

    private static void assertErrorCode(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcrException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
    }

    @Test
    void theSdksSignatureVerifiesAndNamesTheCaller() {
        identities.createUser(ACCOUNT, "ci");
        var key = identities.createAccessKey(ACCOUNT, "ci");
        try (EcrClient ecr = client(key.id(), key.secret(), false)) {
            assertThat(ecr.describeRegistry(r -> { }).registryId()).isEqualTo(ACCOUNT);
        }
    }

    @Test
    void wrongSecretsAndUnknownKeysGetAwsErrors() {
        var key = identities.createAccessKey(ACCOUNT, null);
        try (EcrClient ecr = client(key.id(), key.secret().substring(1) + "x", false)) {
            assertErrorCode(() -> ecr.describeRegistry(r -> { }), "InvalidSignatureException");
        }
        try (EcrClient ecr = client("AKIANOTAKEYATALL1234", key.secret(), false)) {
            assertErrorCode(() -> ecr.describeRegistry(r -> { }), "UnrecognizedClientException");
        }
    }

    @Test
    void aSkewedClientIsRefusedThenCorrectsItselfFromTheDateHeader() {
        var key = identities.createAccessKey(ACCOUNT, null);
        serverClock.set(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20)));
        try (EcrClient ecr = client(key.id(), key.secret(), false)) {
            assertErrorCode(() -> ecr.describeRegistry(r -> { }), "InvalidSignatureException");
        }
        try (EcrClient ecr = client(key.id(), key.secret(), true)) {
            assertThat(ecr.describeRegistry(r -> { }).registryId()).isEqualTo(ACCOUNT);
        }
    }
}
