package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.ConsoleSessionIndex;
import io.wharf.core.spi.ConsoleSessionIndex.ConsoleSession;
import io.wharf.server.config.WharfConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code console-sweep} job as the server schedules it (every {@code console.sweep-interval}, under its lease):
 * ended sessions and failure counts whose window is over are deleted from the real database, live ones stay.
 */
class ConsoleSweepTest {
    @TempDir
    Path data;

    @Test
    void theScheduledSweepDeletesEndedSessionsAndOldFailureCounts() throws Exception {
        Duration idle = Duration.ofMinutes(30);
        Duration window = Duration.ofMinutes(15);
        try (ConsoleServer server = new ConsoleServer(data, true, c -> c.withConsole(new WharfConfig.Console(true, idle,
                Duration.ofHours(12), 50, new WharfConfig.SignInThrottle(5, 20, window, 3, Duration.ZERO),
                Duration.ofSeconds(1))))) {
            ConsoleSessionIndex index = server.backend.registry().metadata().consoleSessions();
            Instant now = Instant.now();
            index.createSession(session("ended", now.minus(Duration.ofHours(13)), now.minus(Duration.ofHours(13)),
                    now.minusSeconds(60)));
            index.createSession(session("idle", now.minus(Duration.ofHours(1)), now.minus(idle).minusSeconds(60),
                    now.plus(Duration.ofHours(11))));
            index.createSession(session("live", now, now, now.plus(Duration.ofHours(12))));
            index.recordSignInFailure("key:OLD", now.minus(window).minusSeconds(60), now.minus(Duration.ofDays(1)));
            index.recordSignInFailure("key:NEW", now, now.minus(window));

            // until a sweep that ran after all of them were written (one between two writes finds only the first)
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((index.findSession("ended").isPresent() || index.findSession("idle").isPresent()
                    || index.signInFailures("key:OLD").isPresent()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(index.findSession("ended")).isEmpty();
            assertThat(index.findSession("idle")).isEmpty();
            assertThat(index.findSession("live")).isPresent();
            assertThat(index.signInFailures("key:OLD")).isEmpty();
            assertThat(index.signInFailures("key:NEW")).isPresent();
        }
    }

    private static ConsoleSession session(String id, Instant created, Instant lastSeen, Instant expires) {
        return new ConsoleSession(id, ConsoleServer.ACCOUNT, "arn:aws:iam::" + ConsoleServer.ACCOUNT + ":root", "c",
                created, lastSeen, expires);
    }
}
