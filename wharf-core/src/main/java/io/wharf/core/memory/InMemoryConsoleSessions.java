package io.wharf.core.memory;

import io.wharf.core.spi.ConsoleSessionIndex;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link ConsoleSessionIndex} in memory. */
final class InMemoryConsoleSessions implements ConsoleSessionIndex {
    private final Map<String, ConsoleSession> sessions = new HashMap<>();

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
                s.createdAt(), at, s.expiresAt()));
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
}
