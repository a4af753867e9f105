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
     */
    record ConsoleSession(String idHash, String account, String principalArn, String csrfToken, Instant createdAt,
                          Instant lastSeenAt, Instant expiresAt) {
        public ConsoleSession {
            Objects.requireNonNull(idHash, "idHash");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(principalArn, "principalArn");
            Objects.requireNonNull(csrfToken, "csrfToken");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(lastSeenAt, "lastSeenAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
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
}
