package io.wharf.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.identity.AccessKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * AssumeRole through the AWS SDK's StsClient and the credentials it returns used by the EcrClient and on /v2/: the
 * trust policy's decision (same account, delegation to the account, root refused), session policies, durations and
 * expiry on a manual clock.
 */
class AssumeRoleApiTest extends StsFixture {
    private static final String ECR_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";
    private static final String ASSUME_ANY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""";

    private String trust(String principal) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principal
                + "\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    private Credentials assume(AccessKey key, String roleArn, String session) {
        try (StsClient sts = sts(basic(key))) {
            return sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName(session)).credentials();
        }
    }

    private static void assertStsError(Runnable call, int status, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    private static void assertEcrError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcrException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
    }

    @Test
    void aRoleSessionActsWithTheRolesPoliciesUntilItExpires() throws Exception {
        AccessKey ci = user("ci", null); // no policy of its own: the trust policy names it
        String roleArn = role("pusher", trust("arn:aws:iam::" + account + ":user/ci"), ECR_ALL);
        AssumeRoleResponse assumed;
        try (StsClient sts = sts(basic(ci))) {
            assumed = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("build-7"));
        }
        Credentials creds = assumed.credentials();
        assertThat(creds.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(creds.expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        String sessionArn = "arn:aws:sts::" + account + ":assumed-role/pusher/build-7";
        assertThat(assumed.assumedRoleUser().arn()).isEqualTo(sessionArn);
        assertThat(assumed.assumedRoleUser().assumedRoleId()).matches("AROA[A-Z2-7]{17}:build-7");
        try (StsClient sts = sts(session(creds))) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo(sessionArn);
        }
        AuthorizationData token;
        try (EcrClient ecr = ecr(session(creds))) {
            ecr.createRepository(r -> r.repositoryName("app"));
            assertThat(ecr.describeRepositories(r -> { }).repositories()).hasSize(1);
            token = ecr.getAuthorizationToken(r -> { }).authorizationData().getFirst();
        }
        assertThat(token.expiresAt()).isBeforeOrEqualTo(creds.expiration());
        assertThat(catalog(token)).isEqualTo(200);

        clock.advance(Duration.ofHours(1));
        try (EcrClient ecr = ecr(session(creds))) {
            assertThatThrownBy(() -> ecr.describeRepositories(r -> { })).isInstanceOfSatisfying(EcrException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is expired");
            });
        }
        assertThat(catalog(token)).as("the registry password expires with the credentials").isEqualTo(403);
    }

    @Test
    void theTrustPolicyDecidesWhoMayAssumeTheRole() {
        AccessKey named = user("named", null);
        AccessKey stranger = user("stranger", ASSUME_ANY);
        String roleArn = role("deployer", trust("arn:aws:iam::" + account + ":user/named"), ECR_ALL);
        assertThat(assume(named, roleArn, "ok").accessKeyId()).startsWith("ASIA");
        assertStsError(() -> assume(stranger, roleArn, "no"), 403, "AccessDenied", "User: arn:aws:iam::" + account
                + ":user/stranger is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        assertStsError(() -> assume(named, "arn:aws:iam::" + account + ":role/missing", "no"), 403, "AccessDenied",
                "is not authorized to perform: sts:AssumeRole");
        try (StsClient sts = sts(AwsBasicCredentials.create(ROOT_ID, ROOT_SECRET))) {
            assertStsError(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("root")), 403, "AccessDenied",
                    "Roles may not be assumed by root accounts.");
        }
    }

    /** A trust policy naming the account delegates to it: its users need sts:AssumeRole in their own policies. */
    @Test
    void aTrustPolicyNamingTheAccountNeedsTheCallersOwnPermissionToo() {
        AccessKey allowed = user("allowed", ASSUME_ANY);
        AccessKey bare = user("bare", null);
        String roleArn = role("shared", trust("arn:aws:iam::" + account + ":root"), ECR_ALL);
        assertThat(assume(allowed, roleArn, "s1").accessKeyId()).startsWith("ASIA");
        assertStsError(() -> assume(bare, roleArn, "s2"), 403, "AccessDenied", "not authorized");
    }

    @Test
    void aSessionPolicyNarrowsTheRolesPermissions() {
        AccessKey ci = user("ci", null);
        String roleArn = role("pusher", trust("arn:aws:iam::" + account + ":user/ci"), ECR_ALL);
        String readOnly = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:Describe*","Resource":"*"}]}""";
        Credentials creds;
        try (StsClient sts = sts(basic(ci))) {
            AssumeRoleResponse r = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName("ro").policy(readOnly));
            assertThat(r.packedPolicySize()).isBetween(1, 100);
            creds = r.credentials();
            assertStsError(() -> sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName("xx").policy("{\"nope\":1}")),
                    400, "MalformedPolicyDocument", "");
            assertStsError(() -> sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName("xx")
                    .policy(readOnly.replace("ecr:Describe*", "ecr:" + "D".repeat(2100)))), 400, "PackedPolicyTooLarge", "");
        }
        try (EcrClient ecr = ecr(session(creds))) {
            assertThat(ecr.describeRepositories(r -> { }).repositories()).isEmpty();
            assertEcrError(() -> ecr.createRepository(r -> r.repositoryName("app")), "AccessDeniedException");
        }
    }

    @Test
    void durationsStayWithinTheRolesMaximum() {
        AccessKey ci = user("ci", null);
        String roleArn = role("pusher", trust("arn:aws:iam::" + account + ":user/ci"), ECR_ALL);
        try (StsClient sts = sts(basic(ci))) {
            Instant now = clock.instant();
            assertThat(sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1").durationSeconds(900)).credentials()
                    .expiration()).isEqualTo(now.plusSeconds(900));
            assertStsError(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1").durationSeconds(7200)),
                    400, "ValidationError", "exceeds the MaxSessionDuration set for this role");
            assertStsError(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1").durationSeconds(899)),
                    400, "ValidationError", "durationSeconds");
            assertStsError(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("no spaces")),
                    400, "ValidationError", "roleSessionName");
            assertStsError(() -> sts.assumeRole(r -> r.roleArn("arn:aws:s3:::bucket").roleSessionName("s1")),
                    400, "ValidationError", "roleArn");
        }
    }

    /** A tampered token, or a real one presented with another key id, is no credential at all. */
    @Test
    void aSessionTokenOpensOnlyWithItsOwnKeyId() {
        AccessKey ci = user("ci", null);
        String roleArn = role("pusher", trust("arn:aws:iam::" + account + ":user/ci"), ECR_ALL);
        Credentials a = assume(ci, roleArn, "sa");
        Credentials b = assume(ci, roleArn, "sb");
        Credentials mixed = a.toBuilder().sessionToken(b.sessionToken()).build();
        String token = a.sessionToken();
        Credentials tampered = a.toBuilder().sessionToken(token.substring(0, 10) + (token.charAt(10) == 'A' ? 'B' : 'A')
                + token.substring(11)).build();
        for (Credentials bad : new Credentials[] {mixed, tampered}) {
            try (EcrClient ecr = ecr(session(bad))) {
                assertEcrError(() -> ecr.describeRepositories(r -> { }), "UnrecognizedClientException");
            }
        }
    }

    @Test
    void deletingTheRoleEndsItsSessions() {
        AccessKey ci = user("ci", null);
        String roleArn = role("pusher", trust("arn:aws:iam::" + account + ":user/ci"), ECR_ALL);
        Credentials creds = assume(ci, roleArn, "s1");
        identities.deleteRole(account, "pusher");
        try (EcrClient ecr = ecr(session(creds))) {
            assertEcrError(() -> ecr.describeRepositories(r -> { }), "UnrecognizedClientException");
        }
    }

    /** The SDK's signer presigns with temporary credentials: X-Amz-Security-Token travels in the query. */
    @Test
    void aPresignedRequestCarriesTheSessionTokenInItsQuery() throws Exception {
        AccessKey ci = user("ci", null);
        String roleArn = role("pusher", trust("arn:aws:iam::" + account + ":user/ci"), ECR_ALL);
        Credentials creds = assume(ci, roleArn, "presigned");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(endpoint() + "/?Action=GetCallerIdentity&Version=2011-06-15")).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(SignRequest.builder(AwsSessionCredentialsIdentity.create(
                        creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken()))
                .request(request).payload(ContentStreamProvider.fromByteArray(new byte[0]))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5)).build()).request();
        assertThat(signed.getUri().getRawQuery()).contains("X-Amz-Security-Token=");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(signed.getUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("<Arn>arn:aws:sts::" + account + ":assumed-role/pusher/presigned</Arn>");
            clock.advance(Duration.ofHours(1));
            r = http.send(HttpRequest.newBuilder(signed.getUri()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("<Code>ExpiredToken</Code>");
        }
    }

    private int catalog(AuthorizationData token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/v2/_catalog"))
                .header("Authorization", "Basic " + token.authorizationToken()).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    static String password(AuthorizationData token) {
        String decoded = new String(Base64.getDecoder().decode(token.authorizationToken()), StandardCharsets.UTF_8);
        return decoded.substring(decoded.indexOf(':') + 1);
    }
}
