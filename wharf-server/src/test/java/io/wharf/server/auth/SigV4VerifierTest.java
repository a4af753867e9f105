package io.wharf.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.identity.AccessKey;
import io.wharf.server.auth.AuthException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SigV4VerifierTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String ACCOUNT = "123456789012";
    private static final byte[] BODY = "{\"repositoryName\":\"app\"}".getBytes(UTF_8);
    private static final Map<String, String> ECR_HEADERS = Map.of(
            "Content-Type", "application/x-amz-json-1.1",
            "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.CreateRepository");

    private final Map<String, AccessKey> keys = new HashMap<>(Map.of(ID,
            new AccessKey(ID, SECRET, ACCOUNT, "alice", AccessKey.Status.ACTIVE, NOW)));

    private SigV4Verifier verifier(Instant now) {
        return new SigV4Verifier("ecr", id -> Optional.ofNullable(keys.get(id)), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SdkSigner.Signed signed(String url, Instant at) {
        return SdkSigner.sign("POST", url, ECR_HEADERS, BODY, ID, SECRET, "eu-west-1", at, null);
    }

    private SigV4Verifier.SigningKey verify(SdkSigner.Signed s, Instant now) {
        return verifier(now).verify(s.method(), s.rawPath(), s.rawQuery(), s.headers(), s.body());
    }

    private static Map<String, List<String>> with(Map<String, List<String>> headers, String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.put(name, List.of(value));
        return copy;
    }

    private static void assertRefused(Runnable call, Kind kind, String messageStart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AuthException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).startsWith(messageStart);
        });
    }

    @Test
    void acceptsWhatTheSdkSignsWithAnyRegionAndAPort() {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        assertThat(s.headers()).containsKey("Host");
        assertThat(s.headers().get("Host")).containsExactly("localhost:4566");
        assertThat(verify(s, NOW).id()).isEqualTo(ID);
    }

    @Test
    void theHostHeaderIsSignedWithItsPort() {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        Map<String, List<String>> otherPort = with(s.headers(), "Host", "localhost:4567");
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, otherPort, BODY), Kind.INVALID_SIGNATURE,
                "The request signature we calculated does not match the signature you provided.");
    }

    @Test
    void aChangedBodyOrMethodDoesNotVerify() {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        byte[] other = "{\"repositoryName\":\"evil\"}".getBytes(UTF_8);
        // this signer also sends X-Amz-Content-SHA256, so the body is caught by that check first
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, s.headers(), other), Kind.INVALID_SIGNATURE,
                "The provided 'x-amz-content-sha256' header does not match");
        Map<String, List<String>> noHash = new LinkedHashMap<>(s.headers());
        noHash.remove("x-amz-content-sha256");
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, noHash, other), Kind.INVALID_SIGNATURE,
                "The request signature we calculated");
        assertRefused(() -> verifier(NOW).verify("PUT", "/", null, s.headers(), BODY), Kind.INVALID_SIGNATURE,
                "The request signature we calculated");
    }

    @Test
    void aWrongSecretDoesNotVerify() {
        SdkSigner.Signed s = SdkSigner.sign("POST", "http://localhost:4566/", ECR_HEADERS, BODY, ID,
                SECRET.replace('w', 'x'), "us-east-1", NOW, null);
        assertRefused(() -> verify(s, NOW), Kind.INVALID_SIGNATURE,
                SigV4Verifier.MISMATCH);
    }

    @Test
    void unknownAndInactiveKeysAreUnrecognized() {
        SdkSigner.Signed s = SdkSigner.sign("POST", "http://localhost:4566/", ECR_HEADERS, BODY, "AKIAUNKNOWN000000000",
                SECRET, "us-east-1", NOW, null);
        assertRefused(() -> verify(s, NOW), Kind.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
        keys.computeIfPresent(ID, (k, v) -> v.withStatus(AccessKey.Status.INACTIVE));
        assertRefused(() -> verify(signed("http://localhost:4566/", NOW), NOW), Kind.UNRECOGNIZED_CLIENT,
                "The security token included");
    }

    @Test
    void skewBeyondFifteenMinutesIsRefusedEitherWay() {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        assertThat(verify(s, NOW.plus(Duration.ofMinutes(14)))).isNotNull();
        assertThat(verify(s, NOW.minus(Duration.ofMinutes(14)))).isNotNull();
        assertRefused(() -> verify(s, NOW.plus(Duration.ofMinutes(16))), Kind.INVALID_SIGNATURE,
                "Signature expired: 20250301T100000Z is now earlier than 20250301T100100Z (20250301T101600Z - 15 min.)");
        assertRefused(() -> verify(s, NOW.minus(Duration.ofMinutes(16))), Kind.INVALID_SIGNATURE,
                "Signature not yet current: 20250301T100000Z is still later than");
    }

    @Test
    void presignedUrlsVerifyUntilTheyExpire() {
        SdkSigner.Signed s = SdkSigner.sign("GET", "https://registry.example:8443/some/path?b=2&a=1&a=0", Map.of(),
                new byte[0], ID, SECRET, "ap-south-2", NOW, Duration.ofMinutes(30));
        assertThat(s.rawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=1800");
        assertThat(s.headers().keySet()).doesNotContain("Authorization");
        assertThat(verify(s, NOW.plus(Duration.ofMinutes(29))).id()).isEqualTo(ID);
        assertRefused(() -> verify(s, NOW.plus(Duration.ofMinutes(31))), Kind.INVALID_SIGNATURE, "Signature expired:");
        String tampered = s.rawQuery().replace("b=2", "b=3");
        assertRefused(() -> verifier(NOW).verify("GET", s.rawPath(), tampered, s.headers(), new byte[0]),
                Kind.INVALID_SIGNATURE, "The request signature we calculated");
    }

    @Test
    void encodedPathsAndQueriesVerify() {
        SdkSigner.Signed s = SdkSigner.sign("GET", "http://localhost:5000/a%20b/c%2Fd?x=a%20b&y=%2F&z", Map.of(),
                new byte[0], ID, SECRET, "us-east-1", NOW, null);
        assertThat(verify(s, NOW).id()).isEqualTo(ID);
    }

    @Test
    void missingCredentialsAndIncompleteSignatures() {
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, Map.of("Host", List.of("h")), BODY), Kind.MISSING,
                "Missing Authentication Token");
        assertRefused(() -> verifier(NOW).verify("POST", "/", null,
                Map.of("Authorization", List.of("AWS4-HMAC-SHA256 Credential=" + ID + "/20250301/us-east-1/ecr/aws4_request")),
                BODY), Kind.INCOMPLETE_SIGNATURE, "Authorization header requires 'Signature' parameter.");
        assertRefused(() -> verifier(NOW).verify("POST", "/", null,
                Map.of("Authorization", List.of("Basic QVdTOnNlY3JldA==")), BODY), Kind.INCOMPLETE_SIGNATURE, "Authorization header");
        assertRefused(() -> verifier(NOW).verify("GET", "/", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x", Map.of(),
                BODY), Kind.INCOMPLETE_SIGNATURE, "AWS query-string parameters must include");
    }

    @Test
    void theScopeMustNameEcrAndTheSigningDay() {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        String auth = s.headers().get("Authorization").getFirst();
        Map<String, List<String>> s3 = with(s.headers(), "Authorization", auth.replace("/ecr/", "/s3/"));
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, s3, BODY), Kind.INVALID_SIGNATURE,
                "Credential should be scoped to correct service: 'ecr'.");
        Map<String, List<String>> day = with(s.headers(), "Authorization", auth.replace("/20250301/", "/20250302/"));
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, day, BODY), Kind.INVALID_SIGNATURE,
                "Date in Credential scope does not match");
    }

    @Test
    void aLongRegionIsRefusedWithoutOverflowingTheStack() throws Exception {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        String auth = s.headers().get("Authorization").getFirst();
        Map<String, List<String>> huge = with(s.headers(), "Authorization",
                auth.replace("/eu-west-1/", "/" + "a-".repeat(8000) + "a/"));
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) { // as requests run
            requests.submit(() -> assertRefused(() -> verifier(NOW).verify("POST", "/", null, huge, BODY),
                    Kind.INVALID_SIGNATURE, "Credential should be scoped to a valid region.")).get();
        }
    }

    @Test
    void signedHeadersAreTakenExactlyAndMustCoverHostAndTarget() {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        String auth = s.headers().get("Authorization").getFirst();
        assertThat(auth).contains("SignedHeaders=").contains("x-amz-target");
        Map<String, List<String>> extra = with(s.headers(), "X-Unsigned", "whatever");
        assertThat(verifier(NOW).verify("POST", "/", null, extra, BODY).id()).isEqualTo(ID);
        Map<String, List<String>> noTarget = with(s.headers(), "Authorization", auth.replace(";x-amz-target", ""));
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, noTarget, BODY), Kind.INVALID_SIGNATURE,
                "'X-Amz-Target' must be a 'SignedHeader'");
    }

    @Test
    void contentSha256IsHonouredAndChecked() {
        Map<String, String> headers = new HashMap<>(ECR_HEADERS);
        headers.put("x-amz-content-sha256", SigV4Canonical.sha256Hex(BODY));
        SdkSigner.Signed s = SdkSigner.sign("POST", "http://localhost:4566/", headers, BODY, ID, SECRET, "us-east-1", NOW, null);
        assertThat(verify(s, NOW).id()).isEqualTo(ID);
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, s.headers(), "{}".getBytes(UTF_8)),
                Kind.INVALID_SIGNATURE, "The provided 'x-amz-content-sha256' header does not match");
    }

    @Test
    void securityTokensAreNotAcceptedYet() {
        SdkSigner.Signed s = signed("http://localhost:4566/", NOW);
        Map<String, List<String>> withToken = with(s.headers(), "X-Amz-Security-Token", "FQoGZXIvYXdzE...");
        assertRefused(() -> verifier(NOW).verify("POST", "/", null, withToken, BODY), Kind.UNRECOGNIZED_CLIENT,
                "The security token included in the request is invalid.");
    }

    @Test
    void repeatedHeadersJoinWithCommas() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("x-multi", new ArrayList<>(List.of("a", "  b   c ")));
        String canonical = SigV4Canonical.headers(List.of("x-multi"), headers);
        assertThat(canonical).isEqualTo("x-multi:a,b c\n");
    }
}
