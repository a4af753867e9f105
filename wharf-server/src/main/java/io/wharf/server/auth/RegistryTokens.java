package io.wharf.server.auth;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.AuthException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Registry passwords that verify without a database: {@code base64url(payload) "." base64url(HMAC-SHA256(key,
 * payload))}, the payload naming the principal, its account, the expiry and the signing key's id. The
 * key id lets a later version keep accepting tokens of a retired key while it rotates.
 */
public final class RegistryTokens {
    public static final Duration VALIDITY = Duration.ofHours(12);
    /** Name of the signing key's file in {@code <data>/keys/}. */
    public static final String KEY_FILE = "token-signing-key";
    public static final int KEY_BYTES = 32;
    static final String EXPIRED = "Your authorization token has expired. Reauthenticate and try again.";
    static final String INVALID = "The registry authorization token is invalid.";
    private static final String VERSION = "wharf1";
    /** Far above any real token (a few hundred bytes, a few KiB with a session policy); bounds an attacker's work. */
    private static final int MAX_PASSWORD = 4 * SessionTokens.MAX_TOKEN_CHARS;
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;
    private final String keyId;
    private final Clock clock;
    private final Duration validity;

    public RegistryTokens(byte[] key, Clock clock) {
        this(key, clock, VALIDITY);
    }

    /** @param validity how long an issued token is accepted; ECR's is 12 hours ({@code auth.token-ttl}) */
    public RegistryTokens(byte[] key, Clock clock, Duration validity) {
        if (key.length < KEY_BYTES) {
            throw new IllegalArgumentException("the token signing key needs at least " + KEY_BYTES + " bytes");
        }
        this.key = key.clone();
        this.keyId = HexFormat.of().formatHex(SigV4Canonical.hmac(key, "key-id"), 0, 4);
        this.clock = clock;
        this.validity = validity;
    }

    public RegistryToken issue(Principal principal) {
        return issue(principal, null, null);
    }

    /**
     * A token valid for the configured time but never beyond {@code notAfter} (the temporary credentials it was
     * asked with), carrying {@code session} (an opaque sealed session, or null) for the caller's condition keys.
     */
    public RegistryToken issue(Principal principal, Instant notAfter, String session) {
        Instant expiresAt = clock.instant().plus(validity);
        if (notAfter != null && notAfter.isBefore(expiresAt)) {
            expiresAt = notAfter;
        }
        String payload = String.join("\n", VERSION, principal.arn(), principal.account(),
                Long.toString(expiresAt.getEpochSecond()), keyId);
        if (session != null) {
            payload += "\n" + session;
        }
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return new RegistryToken(encoded + "." + mac(encoded), expiresAt);
    }

    /** What a password names: the principal it was issued to, its expiry and the session it carries (null: none). */
    public record Verified(Principal principal, Instant expiresAt, String session) {
    }

    /**
     * The principal the password was issued to.
     *
     * @throws AuthException UNRECOGNIZED_CLIENT when it is not a token of this server's key,
     *                       EXPIRED_TOKEN when it was but has expired
     */
    public Principal verify(String password) {
        return verifyToken(password).principal();
    }

    /** As {@link #verify}, with the token's expiry and session. */
    public Verified verifyToken(String password) {
        int dot = password == null ? -1 : password.indexOf('.');
        if (dot < 0 || password.length() > MAX_PASSWORD) {
            throw invalid();
        }
        String encoded = password.substring(0, dot);
        byte[] expected = mac(encoded).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, password.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw invalid();
        }
        String[] f = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\n", -1);
        if (f.length != 5 && f.length != 6 || !f[0].equals(VERSION) || !f[4].equals(keyId) || !ACCOUNT.matcher(f[2]).matches()
                || !f[3].matches("[0-9]{1,19}")) {
            throw invalid(); // signed by us, so only a future format could land here
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(f[3]));
        if (!clock.instant().isBefore(expiresAt)) {
            throw new AuthException(Kind.EXPIRED_TOKEN, EXPIRED);
        }
        return new Verified(new Principal(f[2], f[1]), expiresAt, f.length == 6 ? f[5] : null);
    }

    private String mac(String encodedPayload) {
        return B64.encodeToString(SigV4Canonical.hmac(key, encodedPayload));
    }

    private static AuthException invalid() {
        return new AuthException(Kind.UNRECOGNIZED_CLIENT, INVALID);
    }
}
