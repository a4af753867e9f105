package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.spi.ConsoleSessionIndex.ConsoleSession;
import org.junit.jupiter.api.Test;

/** The contract of {@link ConsoleSessionIndex}; every backend runs it. */
public abstract class ConsoleSessionIndexContract extends MetadataStoreFixture {

    private static ConsoleSession session(String idHash, long created, long expires) {
        return new ConsoleSession(idHash, ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/ana", "csrf-" + idHash,
                at(created), at(created), at(expires));
    }

    @Test
    void aSessionIsFoundByItsIdHashWithEveryField() {
        ConsoleSessionIndex sessions = store.consoleSessions();
        sessions.createSession(session("a1", 1, 100));
        ConsoleSession found = sessions.findSession("a1").orElseThrow();
        assertThat(found).isEqualTo(session("a1", 1, 100));
        assertThat(sessions.findSession("a2")).isEmpty();
    }

    @Test
    void aSecondSessionWithTheSameIdIsRefused() {
        ConsoleSessionIndex sessions = store.consoleSessions();
        sessions.createSession(session("a1", 1, 100));
        assertThatThrownBy(() -> sessions.createSession(session("a1", 2, 100))).isInstanceOf(RuntimeException.class);
        assertThat(sessions.findSession("a1").orElseThrow().createdAt()).isEqualTo(at(1));
    }

    @Test
    void touchingRecordsTheLastUseAndDeletingEndsTheSession() {
        ConsoleSessionIndex sessions = store.consoleSessions();
        sessions.createSession(session("a1", 1, 100));
        assertThat(sessions.touchSession("a1", at(7))).isTrue();
        assertThat(sessions.findSession("a1").orElseThrow().lastSeenAt()).isEqualTo(at(7));
        assertThat(sessions.touchSession("nope", at(7))).isFalse();
        assertThat(sessions.deleteSession("a1")).isTrue();
        assertThat(sessions.deleteSession("a1")).isFalse();
        assertThat(sessions.findSession("a1")).isEmpty();
    }

    @Test
    void expiryDeletesSessionsPastTheirEndOrIdleTooLong() {
        ConsoleSessionIndex sessions = store.consoleSessions();
        sessions.createSession(session("ended", 1, 50));
        sessions.createSession(session("idle", 1, 500));
        sessions.createSession(session("live", 1, 500));
        sessions.touchSession("live", at(40));
        assertThat(sessions.deleteExpiredSessions(at(50), at(30))).isEqualTo(2);
        assertThat(sessions.findSession("ended")).isEmpty();
        assertThat(sessions.findSession("idle")).isEmpty();
        assertThat(sessions.findSession("live")).isPresent();
    }
}
