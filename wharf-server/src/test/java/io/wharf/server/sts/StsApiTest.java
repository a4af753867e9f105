package io.wharf.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * STS GetCallerIdentity through the real wiring (SQLite, IamAuth): the AWS SDK's StsClient for the root and an IAM
 * user without any policy, and raw signed requests for every error the protocol answers.
 */
class StsApiTest {
    private static final String ROOT_ID = "AKIAROOTROOTROOTROOT";
    private static final String ROOT_SECRET = "rootrootrootrootrootrootrootrootrootroot";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final int MAX_BODY = 64 * 1024;
    private static final String CALL = "Action=GetCallerIdentity&Version=2011-06-15";

    @TempDir
    Path data;
    private Application app;
    private String account;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        WharfConfig config = WharfConfig.defaults().withData(data).withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(true)).withShutdownTimeout(Duration.ofSeconds(2));
        WharfConfig.Ecr ecr = config.ecr();
        config = config.withEcr(new WharfConfig.Ecr(ecr.createOnPush(), MAX_BODY, ecr.maxInflightRequestBytes(), ecr.quotas()));
        account = config.account();
        Map<String, String> env = Map.of(AuthSetup.ENV_ROOT_KEY_ID, ROOT_ID, AuthSetup.ENV_ROOT_SECRET, ROOT_SECRET);
        WharfConfig started = config;
        Backend backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        app = Application.start(started, backend, registry -> Wiring.api(registry, started, backend.auth()));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void theSdkLearnsTheRootsIdentity() {
        try (StsClient sts = client(ROOT_ID, ROOT_SECRET)) {
            GetCallerIdentityResponse me = sts.getCallerIdentity();
            assertThat(me.account()).isEqualTo(account);
            assertThat(me.arn()).isEqualTo("arn:aws:iam::" + account + ":root");
            assertThat(me.userId()).isEqualTo(account);
        }
    }

    /** No policy at all: GetCallerIdentity needs no permission. The user id is stable and user-like. */
    @Test
    void theSdkLearnsAnIamUsersIdentityWithoutAnyPolicy() {
        iam("create-user", "ci");
        String[] key = iam("create-access-key", "ci").lines().map(l -> l.substring(l.indexOf('=') + 1))
                .toArray(String[]::new);
        try (StsClient sts = client(key[0], key[1])) {
            GetCallerIdentityResponse me = sts.getCallerIdentity();
            assertThat(me.account()).isEqualTo(account);
            assertThat(me.arn()).isEqualTo("arn:aws:iam::" + account + ":user/ci");
            assertThat(me.userId()).matches("AIDA[A-Z2-7]{17}").isEqualTo(sts.getCallerIdentity().userId());
        }
    }

    @Test
    void aPresignedGetIsAnsweredToo() throws Exception {
        HttpResponse<String> r = send(sign("GET", "/?" + CALL, "", ROOT_ID, ROOT_SECRET, "sts", true));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/xml");
        assertThat(r.body()).startsWith("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Arn>arn:aws:iam::" + account + ":root</Arn>", "<Account>" + account + "</Account>",
                        "<UserId>" + account + "</UserId>")
                .containsPattern("<ResponseMetadata>\\s*<RequestId>[0-9a-f-]{36}</RequestId>");
    }

    @Test
    void anUnsignedRequestIsMissingItsToken() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/")).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(CALL)).build());
        assertError(r, 403, "MissingAuthenticationToken");
    }

    @Test
    void anUnknownKeyIsAnInvalidClientTokenId() throws Exception {
        assertError(send(sign("POST", "/", CALL, "AKIAUNKNOWNUNKNOWN00", ROOT_SECRET, "sts", false)), 403,
                "InvalidClientTokenId");
    }

    @Test
    void aWrongSecretDoesNotMatch() throws Exception {
        assertError(send(sign("POST", "/", CALL, ROOT_ID, ROOT_SECRET.replace('r', 's'), "sts", false)), 403,
                "SignatureDoesNotMatch");
    }

    @Test
    void aSignatureForAnotherServiceDoesNotMatch() throws Exception {
        assertError(send(sign("POST", "/", CALL, ROOT_ID, ROOT_SECRET, "ecr", false)), 403, "SignatureDoesNotMatch");
    }

    @Test
    void unknownActionsAndVersionsAreInvalidActions() throws Exception {
        HttpResponse<String> r = send(sign("POST", "/", "Action=AssumeRoleWithSAML&Version=2011-06-15", ROOT_ID, ROOT_SECRET,
                "sts", false));
        assertError(r, 400, "InvalidAction");
        assertThat(r.body()).contains("Could not find operation AssumeRoleWithSAML for version 2011-06-15");
        r = send(sign("POST", "/", "Action=GetCallerIdentity", ROOT_ID, ROOT_SECRET, "sts", false));
        assertError(r, 400, "InvalidAction");
        assertThat(r.body()).contains("Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED");
        assertError(send(sign("POST", "/", "Action=GetCallerIdentity&Version=2099-01-01", ROOT_ID, ROOT_SECRET,
                "sts", false)), 400, "InvalidAction");
        assertError(send(sign("POST", "/", "Version=2011-06-15", ROOT_ID, ROOT_SECRET, "sts", false)), 400,
                "MissingAction");
    }

    @Test
    void badInputIsASendersErrorNeverA500() throws Exception {
        assertError(send(sign("POST", "/", "Action=%zz&Version=2011-06-15", ROOT_ID, ROOT_SECRET, "sts", false)), 400,
                "MalformedQueryString");
        String huge = CALL + "&Pad=" + "x".repeat(MAX_BODY);
        assertError(send(sign("POST", "/", huge, ROOT_ID, ROOT_SECRET, "sts", false)), 413, "RequestEntityTooLarge");
    }

    /** The ECR API's JSON requests (with X-Amz-Target) still reach the ECR handler and its JSON errors. */
    @Test
    void ecrRequestsAreUntouched() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeRegistry")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"__type\"", "MissingAuthenticationTokenException");
    }

    private void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/xml");
        assertThat(r.body()).startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .containsPattern("<Error>\\s*<Type>Sender</Type>\\s*<Code>" + code + "</Code>\\s*<Message>[^<]+</Message>"
                        + "\\s*</Error>\\s*<RequestId>[0-9a-f-]{36}</RequestId>\\s*</ErrorResponse>");
    }

    /** Signed by the AWS SDK's own SigV4 signer with the given signing name, in headers or presigned in the query. */
    private HttpRequest sign(String method, String target, String body, String keyId, String secret, String service,
                             boolean presign) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri(target));
        if (!body.isEmpty()) {
            request.putHeader("Content-Type", FORM);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest.builder(AwsCredentialsIdentity.create(keyId, secret))
                .request(request.build()).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1");
        if (presign) {
            sign.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(sign.build()).request();
        HttpRequest.Builder out = HttpRequest.newBuilder(signed.getUri())
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((name, values) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return out.build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String target) {
        return URI.create("http://127.0.0.1:" + app.server().uri().getPort() + target);
    }

    private StsClient client(String id, String secret) {
        return StsClient.builder().endpointOverride(uri("")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret))).build();
    }

    private String iam(String... args) {
        return IamCli.run(data, args);
    }
}
