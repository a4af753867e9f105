package io.wharf.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Signed-in sessions of the web console. A session is a row, so any node of a cluster serves any session and a
 * restart signs no one out. The index stores only a hash of each session's id: what the database holds cannot be
 * replayed as a cookie.
 */
public interface ConsoleSessionIndex {

    /**
     * One session.
     *
     * @param idHash       the SHA-256 of the cookie's session id, in hex
     * @param account      the signed-in principal's account
     * @param principalArn the signed-in principal's ARN
     * @param csrfToken    the token every form of this session must send back
     * @param createdAt    sign-in time
     * @param lastSeenAt   last recorded use (the idle expiry counts from it)
     * @param expiresAt    the absolute end, whatever the use
     * @param accessKeyId  the access key signed in with (the session ends with it); null for a registry password
     */
    record ConsoleSession(String idHash, String account, String principalArn, String csrfToken, Instant createdAt,
                          Instant lastSeenAt, Instant expiresAt, String accessKeyId) {
        public ConsoleSession {
            Objects.requireNonNull(idHash, "idHash");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(principalArn, "principalArn");
            Objects.requireNonNull(csrfToken, "csrfToken");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(lastSeenAt, "lastSeenAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        /** A session not tied to an access key. */
        public ConsoleSession(String idHash, String account, String principalArn, String csrfToken, Instant createdAt,
                              Instant lastSeenAt, Instant expiresAt) {
            this(idHash, account, principalArn, csrfToken, createdAt, lastSeenAt, expiresAt, null);
        }

        /** Never prints the CSRF token. */
        @Override
        public String toString() {
            return "ConsoleSession[" + principalArn + ", created " + createdAt + "]";
        }
    }

    void createSession(ConsoleSession session);

    Optional<ConsoleSession> findSession(String idHash);

    /** Records a use at {@code at}; false when the session is gone. */
    boolean touchSession(String idHash, Instant at);

    /** False when there was none. */
    boolean deleteSession(String idHash);

    /**
     * Deletes every session that ended by {@code now}: past its absolute end, or unused since {@code idleSince}.
     * Returns how many.
     */
    int deleteExpiredSessions(Instant now, Instant idleSince);

    /**
     * The failed sign-ins of one subject (an access key id, a client address) counted in the window that began at
     * {@code windowStart}.
     */
    record SignInFailures(String subject, int count, Instant windowStart) {
        public SignInFailures {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(windowStart, "windowStart");
        }
    }

    /**
     * Counts one failed sign-in of {@code subject} at {@code at}, atomically: into its window when that began after
     * {@code windowStartedAfter}, else into a new window beginning at {@code at}. Returns the count after it.
     */
    SignInFailures recordSignInFailure(String subject, Instant at, Instant windowStartedAfter);

    /** The subject's count, whatever its window's age; empty when none was recorded (or it was cleared or swept). */
    Optional<SignInFailures> signInFailures(String subject);

    /** Forgets the subject's failures (a successful sign-in). */
    void clearSignInFailures(String subject);

    /** Deletes the counts whose window began at or before {@code windowStartedBy}; returns how many. */
    int deleteSignInFailures(Instant windowStartedBy);
}
