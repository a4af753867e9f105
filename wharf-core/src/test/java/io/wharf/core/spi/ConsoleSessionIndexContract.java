package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.spi.ConsoleSessionIndex.ConsoleSession;
import io.wharf.core.spi.ConsoleSessionIndex.SignInFailures;
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

    @Test
    void aSessionKeepsTheAccessKeyItWasSignedInWith() {
        ConsoleSessionIndex sessions = store.consoleSessions();
        ConsoleSession withKey = new ConsoleSession("k1", ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/ana", "c", at(1),
                at(1), at(100), "AKIAEXAMPLE");
        sessions.createSession(withKey);
        sessions.touchSession("k1", at(5));
        assertThat(sessions.findSession("k1").orElseThrow().accessKeyId()).isEqualTo("AKIAEXAMPLE");
        sessions.createSession(session("p1", 1, 100));
        assertThat(sessions.findSession("p1").orElseThrow().accessKeyId()).isNull();
    }

    @Test
    void failedSignInsCountWithinTheirWindowAndStartAgainAfterIt() {
        ConsoleSessionIndex sessions = store.consoleSessions();
        assertThat(sessions.signInFailures("key:A")).isEmpty();
        assertThat(sessions.recordSignInFailure("key:A", at(10), at(0))).isEqualTo(new SignInFailures("key:A", 1, at(10)));
        assertThat(sessions.recordSignInFailure("key:A", at(12), at(2))).isEqualTo(new SignInFailures("key:A", 2, at(10)));
        sessions.recordSignInFailure("ip:1", at(12), at(2));
        assertThat(sessions.signInFailures("key:A").orElseThrow().count()).isEqualTo(2);
        // the window that began at 10 is over for a failure counted with windows beginning after 10
        assertThat(sessions.recordSignInFailure("key:A", at(30), at(10))).isEqualTo(new SignInFailures("key:A", 1, at(30)));
        assertThat(sessions.signInFailures("ip:1").orElseThrow().count()).isEqualTo(1);
    }

    @Test
    void clearingForgetsOneSubjectAndTheSweepDeletesEndedWindows() {
        ConsoleSessionIndex sessions = store.consoleSessions();
        sessions.recordSignInFailure("key:A", at(10), at(0));
        sessions.recordSignInFailure("key:B", at(20), at(0));
        sessions.recordSignInFailure("ip:1", at(30), at(0));
        sessions.clearSignInFailures("key:A");
        assertThat(sessions.signInFailures("key:A")).isEmpty();
        assertThat(sessions.deleteSignInFailures(at(20))).isEqualTo(1);
        assertThat(sessions.signInFailures("key:B")).isEmpty();
        assertThat(sessions.signInFailures("ip:1")).isPresent();
    }
}
