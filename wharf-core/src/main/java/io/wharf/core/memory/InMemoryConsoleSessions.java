package io.wharf.core.memory;

import io.wharf.core.spi.ConsoleSessionIndex;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link ConsoleSessionIndex} in memory. */
final class InMemoryConsoleSessions implements ConsoleSessionIndex {
    private final Map<String, ConsoleSession> sessions = new HashMap<>();
    private final Map<String, SignInFailures> failures = new HashMap<>();

    @Override
    public synchronized void createSession(ConsoleSession session) {
        if (sessions.putIfAbsent(session.idHash(), session) != null) {
            throw new IllegalStateException("session id collision");
        }
    }

    @Override
    public synchronized Optional<ConsoleSession> findSession(String idHash) {
        return Optional.ofNullable(sessions.get(idHash));
    }

    @Override
    public synchronized boolean touchSession(String idHash, Instant at) {
        ConsoleSession s = sessions.get(idHash);
        if (s == null) {
            return false;
        }
        sessions.put(idHash, new ConsoleSession(s.idHash(), s.account(), s.principalArn(), s.csrfToken(),
                s.createdAt(), at, s.expiresAt(), s.accessKeyId()));
        return true;
    }

    @Override
    public synchronized boolean deleteSession(String idHash) {
        return sessions.remove(idHash) != null;
    }

    @Override
    public synchronized int deleteExpiredSessions(Instant now, Instant idleSince) {
        int before = sessions.size();
        sessions.values().removeIf(s -> !s.expiresAt().isAfter(now) || !s.lastSeenAt().isAfter(idleSince));
        return before - sessions.size();
    }

    @Override
    public synchronized SignInFailures recordSignInFailure(String subject, Instant at, Instant windowStartedAfter) {
        SignInFailures old = failures.get(subject);
        SignInFailures now = old != null && old.windowStart().isAfter(windowStartedAfter)
                ? new SignInFailures(subject, old.count() + 1, old.windowStart())
                : new SignInFailures(subject, 1, at);
        failures.put(subject, now);
        return now;
    }

    @Override
    public synchronized Optional<SignInFailures> signInFailures(String subject) {
        return Optional.ofNullable(failures.get(subject));
    }

    @Override
    public synchronized void clearSignInFailures(String subject) {
        failures.remove(subject);
    }

    @Override
    public synchronized int deleteSignInFailures(Instant windowStartedBy) {
        int before = failures.size();
        failures.values().removeIf(f -> !f.windowStart().isAfter(windowStartedBy));
        return before - failures.size();
    }
}
