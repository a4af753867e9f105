package io.wharf.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Session;
import io.wharf.core.identity.AccessKeyGenerator;
import io.wharf.core.identity.SecretSealer;
import io.wharf.server.auth.AuthException.Kind;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * Temporary credentials (STS): an {@code ASIA…} key id, a secret, and a session token that carries them.
 *
 * <p>The token is self-contained: the secret, the caller and its {@link Session} (expiry, MFA time, session policy),
 * sealed with the registry's secret-sealing key (AES-256-GCM, {@code auth.sealing-key} or
 * {@code keys/secret-sealing-key}) and bound to the key id as associated data. Why not a database row per session:
 * AssumeRole then writes nothing, any node holding the sealing key (every node of a cluster must) verifies a token
 * with no read, and nothing lives in one process's memory; what a row would add, revoking one session, IAM does
 * not offer either (deleting the role or user, or a policy on aws:TokenIssueTime, does it here too). The cost is
 * the token's length (hundreds of bytes, a few KiB with a session policy), which AWS's own tokens share.
 */
public final class SessionTokens {
    /** A token longer than this is none of ours: it bounds the work a forged one can ask for. */
    static final int MAX_TOKEN_CHARS = 8192;
    static final String EXPIRED = "The security token included in the request is expired";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keeps session tokens apart from access-key secrets sealed with the same key. */
    static final String PURPOSE = "sts-session:";

    /** What a caller gets: STS's Credentials element, and whom they stand for. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Principal principal) {
        public Instant expiration() {
            return principal.session().expiresAt();
        }

        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", " + principal.arn() + ", expires " + expiration() + "]";
        }
    }

    private final SecretSealer sealer;
    private final Clock clock;
    private final AccessKeyGenerator generator;

    public SessionTokens(SecretSealer sealer, Clock clock, SecureRandom random) {
        this.sealer = sealer;
        this.clock = clock;
        this.generator = new AccessKeyGenerator(random);
    }

    /** New credentials for {@code principal}, whose session says until when they are valid. */
    public Credentials issue(Principal principal) {
        String id = generator.newTemporaryId();
        String secret = generator.newSecret();
        return new Credentials(id, secret, seal(id, secret, principal), principal);
    }

    /** The session {@code principal} as a sealed string only this registry opens (a registry token carries it). */
    String sealSession(Principal principal) {
        return seal("registry-token", "", principal);
    }

    Principal openSession(String sealed) {
        return open("registry-token", sealed).principal();
    }

    /**
     * The secret and caller of a token presented with key {@code keyId}.
     *
     * @throws AuthException UNRECOGNIZED_CLIENT when it is not a token of ours for that key, EXPIRED_TOKEN when it was
     *                       but has expired
     */
    SigV4Verifier.SigningKey open(String keyId, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw invalid();
        }
        JsonNode payload;
        try {
            String json = sealer.open(PURPOSE + keyId, Base64.getDecoder().decode(token));
            payload = JSON.readTree(json);
        } catch (IllegalArgumentException | IllegalStateException | JsonProcessingException e) {
            throw invalid(); // not base64, sealed with another key or for another key id, or not ours
        }
        Principal principal = principal(payload);
        if (!clock.instant().isBefore(principal.session().expiresAt())) {
            throw new AuthException(Kind.EXPIRED_TOKEN, EXPIRED);
        }
        return new SigV4Verifier.SigningKey(keyId, payload.path("secret").asText(), principal);
    }

    private String seal(String keyId, String secret, Principal principal) {
        Session s = principal.session();
        ObjectNode payload = JSON.createObjectNode().put("secret", secret).put("account", principal.account())
                .put("arn", principal.arn()).put("iat", s.issuedAt().getEpochSecond()).put("exp", s.expiresAt().getEpochSecond());
        if (s.mfaAuthenticatedAt() != null) {
            payload.put("mfa", s.mfaAuthenticatedAt().getEpochSecond());
        }
        if (s.policy() != null) {
            payload.put("policy", s.policy().json());
        }
        return Base64.getEncoder().encodeToString(sealer.seal(PURPOSE + keyId, payload.toString()));
    }

    private static Principal principal(JsonNode p) {
        if (blank(p.path("account")) || blank(p.path("arn")) || !p.path("secret").isTextual()) {
            throw invalid(); // sealed by us, so only another version's format could land here
        }
        Instant mfa = p.has("mfa") ? instant(p.path("mfa")) : null;
        PolicyDocument policy;
        try {
            policy = p.has("policy") ? PolicyDocument.parse(p.path("policy").asText()) : null;
        } catch (PolicySyntaxException e) {
            throw invalid(); // checked when issued
        }
        Session session = new Session(instant(p.path("iat")), instant(p.path("exp")), mfa, policy);
        return new Principal(p.path("account").asText(), p.path("arn").asText(), session);
    }

    /** Not a non-blank string: a Principal would refuse it. */
    private static boolean blank(JsonNode n) {
        return !n.isTextual() || n.asText().isBlank();
    }

    /** Epoch seconds as {@link #seal} writes them; anything else, or a time beyond Instant's range, is not ours. */
    private static Instant instant(JsonNode n) {
        if (!n.canConvertToLong()) {
            throw invalid();
        }
        try {
            return Instant.ofEpochSecond(n.asLong());
        } catch (DateTimeException e) {
            throw invalid();
        }
    }

    private static AuthException invalid() {
        return new AuthException(Kind.UNRECOGNIZED_CLIENT, SigV4Verifier.INVALID_TOKEN);
    }
}
