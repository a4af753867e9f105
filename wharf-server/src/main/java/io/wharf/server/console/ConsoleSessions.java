package io.wharf.server.console;

import io.wharf.core.iam.Principal;
import io.wharf.core.spi.ConsoleSessionIndex.ConsoleSession;
import io.wharf.core.spi.ConsoleSessionIndex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Console sessions over the database ({@link ConsoleSessionIndex}): a 256-bit random id in the cookie, only its
 * SHA-256 stored; an idle and an absolute expiry; a CSRF token per session. A session lives no longer than the
 * credential it was signed in with: its access key (checked at every use) or its registry password (whose expiry
 * bounds the session's).
 */
final class ConsoleSessions {
    /** A session's last use is written at most this often (or a tenth of the idle timeout), not once per page. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live session: the principal and the CSRF token its forms carry. */
    record Session(String idHash, Principal principal, String csrfToken) {
    }

    /** A new session and the id its cookie carries. */
    record Started(Session session, String cookieId) {
    }

    private final ConsoleSessionIndex index;
    private final Duration idleTimeout;
    private final Duration maxAge;
    private final Duration touchEvery;
    private final Clock clock;
    /** Whether the principal (and the access key, when not null) may still use a session. */
    private final BiPredicate<Principal, String> credentialValid;

    ConsoleSessions(ConsoleSessionIndex index, Duration idleTimeout, Duration maxAge, Clock clock,
                    BiPredicate<Principal, String> credentialValid) {
        this.index = index;
        this.credentialValid = credentialValid;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
        Duration tenth = idleTimeout.dividedBy(10);
        this.touchEvery = tenth.compareTo(TOUCH_EVERY) < 0 ? tenth : TOUCH_EVERY;
        this.clock = clock;
    }

    /** Signs {@code principal} in, with no credential to follow (authentication off). */
    Started start(Principal principal) {
        return start(principal, null, Instant.MAX);
    }

    /**
     * Signs {@code principal} in with {@code accessKeyId} (null: a registry password valid until
     * {@code credentialExpiresAt}); sessions that ended are swept here too, besides the sweep job.
     */
    Started start(Principal principal, String accessKeyId, Instant credentialExpiresAt) {
        Instant now = clock.instant();
        index.deleteExpiredSessions(now, now.minus(idleTimeout));
        String id = randomToken();
        String hash = hash(id);
        String csrf = randomToken();
        Instant end = credentialExpiresAt.isBefore(now.plus(maxAge)) ? credentialExpiresAt : now.plus(maxAge);
        index.createSession(new ConsoleSession(hash, principal.account(), principal.arn(), csrf, now, now, end,
                accessKeyId));
        return new Started(new Session(hash, principal, csrf), id);
    }

    /**
     * The live session the cookie names; an ended one — expired, or its key deactivated or deleted, or its owner
     * deleted — is deleted and empty is returned.
     */
    Optional<Session> resolve(String cookieId) {
        if (cookieId == null || cookieId.isEmpty()) {
            return Optional.empty();
        }
        String hash = hash(cookieId);
        Optional<ConsoleSession> found = index.findSession(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConsoleSession s = found.get();
        Instant now = clock.instant();
        Principal principal = new Principal(s.account(), s.principalArn());
        if (!s.expiresAt().isAfter(now) || !s.lastSeenAt().plus(idleTimeout).isAfter(now)
                || !credentialValid.test(principal, s.accessKeyId())) {
            index.deleteSession(hash);
            return Optional.empty();
        }
        if (s.lastSeenAt().plus(touchEvery).isBefore(now)) {
            index.touchSession(hash, now);
        }
        return Optional.of(new Session(hash, principal, s.csrfToken()));
    }

    void end(Session session) {
        index.deleteSession(session.idHash());
    }

    /** Constant-time comparison of a form's token with the session's. */
    static boolean tokenMatches(String expected, String sent) {
        return sent != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
