package io.wharf.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.core.identity.IdentityStore;
import io.wharf.core.identity.OidcProvider;
import io.wharf.server.auth.WebIdentityException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies OpenID Connect ID tokens for AssumeRoleWithWebIdentity: a JWS signed (asymmetrically: RS*, PS*, ES*) by a
 * key of the issuer's JWKS, whose {@code iss} is a provider the role's account trusts, whose {@code aud} is one of
 * that provider's client ids, and which is current ({@code exp}, {@code nbf}) within {@link #SKEW}. A provider's JWKS
 * is fetched over HTTP and reused for {@code auth.jwks-cache-ttl}; a token signed by a key id the cached set lacks
 * fetches it again (key rotation), at most once per {@link #MIN_REFETCH}.
 */
public final class WebIdentityTokens {
    /** STS's limit on WebIdentityToken. */
    public static final int MAX_TOKEN_CHARS = 20_000;
    static final Duration SKEW = Duration.ofSeconds(60);
    static final Duration MIN_REFETCH = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_JWKS_BYTES = 1 << 20;

    /** A verified token: its provider and claims. */
    public record Verified(OidcProvider provider, JWTClaimsSet claims) {
    }

    private record Fetched(JWKSet keys, Instant at) {
    }

    private final IdentityStore identities;
    private final Clock clock;
    private final Duration cacheTtl;
    private final HttpClient http;
    private final Map<String, Fetched> jwks = new ConcurrentHashMap<>();

    public WebIdentityTokens(IdentityStore identities, Clock clock, Duration cacheTtl) {
        this.identities = identities;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
        this.http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The token's provider (one of {@code account}'s) and claims, once everything checked out. */
    public Verified verify(String account, String token) {
        if (token == null || token.length() < 4 || token.length() > MAX_TOKEN_CHARS) {
            throw invalid("The web identity token is missing or longer than " + MAX_TOKEN_CHARS + " characters");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("The web identity token is not a signed JWT");
        }
        String issuer = claims.getIssuer();
        OidcProvider provider = issuer == null ? null
                : identities.findOidcProvider(account, OidcProvider.key(issuer)).filter(p -> sameIssuer(p, issuer)).orElse(null);
        if (provider == null) {
            throw invalid("No OpenIDConnect provider found in your account for " + issuer);
        }
        checkSignature(provider, jwt);
        checkClaims(provider, claims);
        return new Verified(provider, claims);
    }

    private static boolean sameIssuer(OidcProvider p, String issuer) {
        return OidcProvider.key(p.issuer()).equals(OidcProvider.key(issuer));
    }

    private void checkSignature(OidcProvider provider, SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        JWK key = key(provider, header);
        try {
            Key publicKey = ((AsymmetricJWK) key).toPublicKey();
            if (!new DefaultJWSVerifierFactory().createJWSVerifier(header, publicKey).verify(header,
                    jwt.getSigningInput(), jwt.getSignature())) {
                throw invalid("The web identity token's signature does not verify");
            }
        } catch (JOSEException | ClassCastException e) {
            throw invalid("The web identity token's signature cannot be verified with its key: " + e.getMessage());
        }
    }

    /** The provider's key the header names (by kid, else the only key), from the cached JWKS or a fresh fetch. */
    private JWK key(OidcProvider provider, JWSHeader header) {
        if (header.getAlgorithm().getName().startsWith("HS") || "none".equalsIgnoreCase(header.getAlgorithm().getName())) {
            throw invalid("The web identity token must be signed with a provider's public key, not " + header.getAlgorithm());
        }
        Instant now = clock.instant();
        Fetched cached = jwks.get(provider.jwksUrl());
        if (cached == null || !now.isBefore(cached.at().plus(cacheTtl))) {
            cached = fetch(provider, now);
        }
        Optional<JWK> key = select(cached.keys(), header);
        if (key.isEmpty() && !now.isBefore(cached.at().plus(MIN_REFETCH))) {
            key = select(fetch(provider, now).keys(), header); // the provider rotated its keys
        }
        return key.orElseThrow(() -> invalid("The web identity token's key " + header.getKeyID()
                + " is not among the provider's signing keys"));
    }

    private static Optional<JWK> select(JWKSet set, JWSHeader header) {
        List<JWK> keys = set.getKeys().stream().filter(k -> k instanceof AsymmetricJWK)
                .filter(k -> header.getKeyID() == null ? set.getKeys().size() == 1 : header.getKeyID().equals(k.getKeyID()))
                .toList();
        return keys.size() == 1 ? Optional.of(keys.getFirst()) : Optional.empty();
    }

    private Fetched fetch(OidcProvider provider, Instant now) {
        try {
            // inside the try: a stored URL the JDK client refuses reads as an unreachable provider, not a 500
            HttpRequest request = HttpRequest.newBuilder(URI.create(provider.jwksUrl())).timeout(FETCH_TIMEOUT).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(MAX_JWKS_BYTES + 1);
                if (response.statusCode() != 200 || bytes.length > MAX_JWKS_BYTES) {
                    throw unreachable(provider, "HTTP " + response.statusCode()
                            + (bytes.length > MAX_JWKS_BYTES ? ", over " + MAX_JWKS_BYTES + " bytes" : ""));
                }
                Fetched fetched = new Fetched(JWKSet.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)), now);
                jwks.put(provider.jwksUrl(), fetched);
                return fetched;
            }
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw unreachable(provider, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(provider, "interrupted");
        }
    }

    private void checkClaims(OidcProvider provider, JWTClaimsSet claims) {
        List<String> audiences = claims.getAudience();
        if (audiences == null || audiences.stream().noneMatch(provider.clientIds()::contains)) {
            throw invalid("Incorrect token audience");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid("The web identity token has no expiration time (exp)");
        }
        if (!now.minus(SKEW).isBefore(exp.toInstant())) {
            throw new WebIdentityException(Kind.EXPIRED, "Token expired: current date/time " + now
                    + " must be before the expiration date/time " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
            throw invalid("The web identity token is not valid yet (nbf " + nbf.toInstant() + ")");
        }
        if (claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw invalid("The web identity token has no subject (sub)");
        }
    }

    private static WebIdentityException invalid(String message) {
        return new WebIdentityException(Kind.INVALID_TOKEN, message);
    }

    private static WebIdentityException unreachable(OidcProvider provider, String why) {
        return new WebIdentityException(Kind.PROVIDER_UNREACHABLE,
                "Couldn't retrieve verification key from your identity provider (" + provider.jwksUrl() + "): " + why);
    }
}
