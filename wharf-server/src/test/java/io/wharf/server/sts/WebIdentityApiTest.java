package io.wharf.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * AssumeRoleWithWebIdentity as a CI job does it: an OIDC token signed by a key the issuer publishes (a JWKS served by
 * a test HTTP server on 127.0.0.1), exchanged without AWS credentials by the SDK's StsClient for a role session whose
 * trust policy names the provider and conditions on the token's sub and aud; and every way a token is refused.
 */
class WebIdentityApiTest extends StsFixture {
    private static final String AUDIENCE = "sts.amazonaws.com";
    private HttpServer idp;
    private String issuer;
    private String providerKey;
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private RSAKey signing;
    private String roleArn;

    @BeforeEach
    void provider() throws Exception {
        signing = new RSAKeyGenerator(2048).keyID("k1").generate();
        published.set(new JWKSet(signing.toPublicJWK()));
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        providerKey = "127.0.0.1:" + idp.getAddress().getPort();
        issuer = "http://" + providerKey;
        String arn = identities.createOidcProvider(account, issuer, List.of(AUDIENCE), issuer + "/jwks").arn();
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                + arn + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\""
                + providerKey + ":aud\":\"" + AUDIENCE + "\"},\"StringLike\":{\"" + providerKey + ":sub\":\"repo:org/app:*\"}}}]}";
        roleArn = role("ci-push", trust, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
    }

    @AfterEach
    void stopProvider() {
        idp.stop(0);
    }

    private JWTClaimsSet.Builder claims(String subject) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(AUDIENCE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private String sign(JWTClaimsSet claims, RSAKey key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private StsClient anonymous() {
        return StsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private AssumeRoleWithWebIdentityResponse exchange(String token) {
        try (StsClient sts = anonymous()) {
            return sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("gha-1").webIdentityToken(token));
        }
    }

    private void assertRefused(String token, int status, String code, String message) {
        assertThatThrownBy(() -> exchange(token)).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    @Test
    void aCiJobExchangesItsOidcTokenForRoleCredentials() throws Exception {
        AssumeRoleWithWebIdentityResponse r = exchange(sign(claims("repo:org/app:ref:refs/heads/main").build(), signing));
        assertThat(r.subjectFromWebIdentityToken()).isEqualTo("repo:org/app:ref:refs/heads/main");
        assertThat(r.audience()).isEqualTo(AUDIENCE);
        assertThat(r.provider()).isEqualTo(issuer);
        assertThat(r.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/ci-push/gha-1");
        assertThat(r.credentials().expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        try (EcrClient ecr = ecr(session(r.credentials()))) {
            ecr.createRepository(b -> b.repositoryName("built"));
            assertThat(ecr.describeRepositories(b -> { }).repositories()).hasSize(1);
        }
        try (StsClient sts = sts(session(r.credentials()))) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo(r.assumedRoleUser().arn());
        }
    }

    @Test
    void theTrustPolicysConditionsOnTheTokenApply() throws Exception {
        assertRefused(sign(claims("repo:other/app:ref:refs/heads/main").build(), signing), 403, "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        assertRefused(sign(claims("repo:org/app:x").audience("someone-else").build(), signing), 400,
                "InvalidIdentityToken", "Incorrect token audience");
    }

    @Test
    void tokensThatAreNotTheProvidersAreRefused() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertRefused(sign(claims("repo:org/app:x").build(), impostor), 400, "InvalidIdentityToken", "signature");
        assertRefused(sign(claims("repo:org/app:x").issuer("https://elsewhere.example.com").build(), signing), 400,
                "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://elsewhere.example.com");
        Instant past = clock.instant().minusSeconds(600);
        assertRefused(sign(claims("repo:org/app:x").expirationTime(Date.from(past)).build(), signing), 400,
                "ExpiredTokenException", "Token expired");
        assertRefused(sign(claims("repo:org/app:x").notBeforeTime(Date.from(clock.instant().plusSeconds(600))).build(),
                signing), 400, "InvalidIdentityToken", "not valid yet");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("repo:org/app:x").build());
        hmac.sign(new MACSigner(new byte[32]));
        assertRefused(hmac.serialize(), 400, "InvalidIdentityToken", "public key");
        assertRefused("not-a-jwt", 400, "InvalidIdentityToken", "not a signed JWT");
    }

    @Test
    void theJwksIsCachedAndFetchedAgainForANewKey() throws Exception {
        exchange(sign(claims("repo:org/app:1").build(), signing));
        exchange(sign(claims("repo:org/app:2").build(), signing));
        assertThat(fetches.get()).isEqualTo(1);
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
        published.set(new JWKSet(List.of(signing.toPublicJWK(), rotated.toPublicJWK())));
        clock.advance(Duration.ofSeconds(31));
        exchange(sign(claims("repo:org/app:3").build(), rotated));
        assertThat(fetches.get()).as("an unknown kid fetches the JWKS again").isEqualTo(2);
        clock.advance(Duration.ofMinutes(10));
        exchange(sign(claims("repo:org/app:4").build(), signing));
        assertThat(fetches.get()).as("after auth.jwks-cache-ttl").isEqualTo(3);
    }

    @Test
    void anUnreachableProviderIsACommunicationError() throws Exception {
        idp.stop(0);
        assertRefused(sign(claims("repo:org/app:x").build(), signing), 400, "IDPCommunicationError",
                "Couldn't retrieve verification key from your identity provider");
    }

    @Test
    void otherUnsignedCallsStillNeedASignature() throws Exception {
        try (StsClient sts = anonymous()) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingAuthenticationToken"));
        }
    }
}
