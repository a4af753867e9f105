package io.wharf.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.identity.AccessKey;
import io.wharf.core.identity.MfaDevice;
import io.wharf.core.identity.Totp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * GetSessionToken with a virtual MFA device through the AWS SDK, and policies that require MFA: Bool on
 * aws:MultiFactorAuthPresent, NumericLessThan on aws:MultiFactorAuthAge, BoolIfExists against long-term keys; on the
 * ECR API and, through the registry password such credentials get, on /v2/.
 */
class MfaSessionApiTest extends StsFixture {
    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Work","Effect":"Allow","Action":["ecr:CreateRepository","ecr:DescribeRepositories",
                "ecr:GetAuthorizationToken","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload",
                "ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:DeleteRepository"],"Resource":"*"},
              {"Sid":"PushWithRecentMfa","Effect":"Allow","Action":"ecr:PutImage","Resource":"*",
               "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"300"}}},
              {"Sid":"NoDeleteWithoutMfa","Effect":"Deny","Action":"ecr:DeleteRepository","Resource":"*",
               "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}""";

    private AccessKey alice;
    private MfaDevice device;
    private String manifest;

    @BeforeEach
    void alice() throws Exception {
        alice = user("alice", POLICY);
        device = identities.enableMfa(account, "alice");
        try (EcrClient ecr = ecr(basic(alice))) {
            ecr.createRepository(r -> r.repositoryName("app"));
            ecr.createRepository(r -> r.repositoryName("scratch"));
            manifest = imageManifest(ecr, "app");
        }
    }

    private String code(long stepOffset) {
        return Totp.code(device.secret(), Totp.step(clock.instant()) + stepOffset);
    }

    private Credentials sessionToken(String serial, String code) {
        try (StsClient sts = sts(basic(alice))) {
            return sts.getSessionToken(r -> r.serialNumber(serial).tokenCode(code)).credentials();
        }
    }

    private void push(AwsCredentials credentials, String tag) {
        try (EcrClient ecr = ecr(credentials)) {
            ecr.putImage(r -> r.repositoryName("app").imageManifest(manifest).imageTag(tag));
        }
    }

    private static void assertDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcrException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    private static void assertStsError(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    @Test
    void aPushNeedsARecentMfaSession() {
        assertDenied(() -> push(basic(alice), "long-term"));
        Credentials plain = sessionToken(null, null);
        assertThat(plain.expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        assertDenied(() -> push(session(plain), "plain-session"));

        Credentials mfa = sessionToken(device.serialNumber(), code(0));
        push(session(mfa), "with-mfa");
        clock.advance(Duration.ofSeconds(300));
        assertDenied(() -> push(session(mfa), "stale-mfa")); // aws:MultiFactorAuthAge is no longer below 300
    }

    @Test
    void boolIfExistsDeniesLongTermKeysAndSessionsWithoutMfa() {
        Credentials plain = sessionToken(null, null);
        Credentials mfa = sessionToken(device.serialNumber(), code(0));
        for (AwsCredentials refused : new AwsCredentials[] {basic(alice), session(plain)}) {
            try (EcrClient ecr = ecr(refused)) {
                assertDenied(() -> ecr.deleteRepository(r -> r.repositoryName("scratch")));
            }
        }
        try (EcrClient ecr = ecr(session(mfa))) {
            ecr.deleteRepository(r -> r.repositoryName("scratch"));
        }
    }

    @Test
    void theRegistryPasswordOfAnMfaSessionCarriesIt() throws Exception {
        Credentials plain = sessionToken(null, null);
        Credentials mfa = sessionToken(device.serialNumber(), code(0));
        assertThat(putManifest(session(mfa), "v2")).isEqualTo(201);
        assertThat(putManifest(session(plain), "v3")).isEqualTo(403);
        assertThat(putManifest(basic(alice), "v4")).isEqualTo(403);
    }

    @Test
    void aCodeIsCheckedAndUsableOnce() {
        String code = code(0);
        sessionToken(device.serialNumber(), code);
        assertStsError(() -> sessionToken(device.serialNumber(), code), "AccessDenied", "invalid MFA one time pass code");
        String wrong = code.equals("000000") ? "000001" : "000000";
        assertStsError(() -> sessionToken(device.serialNumber(), wrong), "AccessDenied", "invalid MFA one time pass code");
        assertStsError(() -> sessionToken(device.serialNumber(), code(-2)), "AccessDenied", "invalid MFA");
        assertThat(sessionToken(device.serialNumber(), code(1)).accessKeyId()).as("the next step, within the window")
                .startsWith("ASIA");
        assertStsError(() -> sessionToken("arn:aws:iam::" + account + ":mfa/bob", code(0)), "AccessDenied",
                "unable to validate MFA code");
        assertStsError(() -> sessionToken(device.serialNumber(), "12"), "ValidationError", "tokenCode");
        assertStsError(() -> sessionToken(null, code(0)), "ValidationError", "serialNumber");
    }

    @Test
    void sessionDurationsAndCallers() {
        try (StsClient sts = sts(basic(alice))) {
            assertStsError(() -> sts.getSessionToken(r -> r.durationSeconds(129_601)), "ValidationError", "durationSeconds");
            assertThat(sts.getSessionToken(r -> r.durationSeconds(129_600)).credentials().expiration())
                    .isEqualTo(clock.instant().plus(Duration.ofHours(36)));
        }
        try (StsClient sts = sts(AwsBasicCredentials.create(ROOT_ID, ROOT_SECRET))) {
            assertStsError(() -> sts.getSessionToken(r -> r.durationSeconds(3601)), "ValidationError", "durationSeconds");
            Credentials root = sts.getSessionToken().credentials();
            try (StsClient asRoot = sts(session(root))) {
                assertThat(asRoot.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::" + account + ":root");
                assertStsError(() -> asRoot.getSessionToken(), "AccessDenied", "session credentials");
            }
        }
    }

    /** PUT /v2/app/manifests/{tag} with the registry password GetAuthorizationToken gives these credentials. */
    private int putManifest(AwsCredentials credentials, String tag) throws Exception {
        String token;
        try (EcrClient ecr = ecr(credentials)) {
            token = ecr.getAuthorizationToken(r -> { }).authorizationData().getFirst().authorizationToken();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/v2/app/manifests/" + tag))
                .header("Authorization", "Basic " + token)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }
}
