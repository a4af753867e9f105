package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.ConsoleSessionIndex;
import io.wharf.core.testing.ManualClock;
import io.wharf.server.config.WharfConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in throttle over HTTP against a real Wharf (SQLite): exact counts per key and per address, the 429 page
 * with Retry-After, a success resetting the key's count, the window's end; the console's clock is a manual one, and
 * the slow-down's delays are recorded instead of slept.
 */
class SignInThrottleTest {
    private static final int MAX_KEY = 3;
    private static final int MAX_ADDRESS = 6;
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration DELAY = Duration.ofSeconds(2);

    @TempDir
    Path data;
    private final ManualClock clock = new ManualClock(Instant.now());
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private ConsoleServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ConsoleServer(data, c -> c.withConsole(c.console().withSignIn(
                new WharfConfig.SignInThrottle(MAX_KEY, MAX_ADDRESS, WINDOW, 2, DELAY))), clock, pauses::add);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> attempt(String id, String secret) throws Exception {
        return ConsoleClient.trySignIn(server, id, secret);
    }

    private HttpResponse<String> wrong(String id) throws Exception {
        return attempt(id, "not-the-secret");
    }

    private ConsoleSessionIndex index() {
        return server.backend.registry().metadata().consoleSessions();
    }

    @Test
    void aKeysFailuresAreAllowedUpToTheLimitThenRefusedWith429UntilTheWindowEnds() throws Exception {
        for (int i = 1; i <= MAX_KEY; i++) {
            HttpResponse<String> r = wrong(ConsoleServer.ROOT_ID);
            assertThat(r.statusCode()).as("failure %d", i).isEqualTo(401);
            assertThat(r.body()).contains("the access key or its secret is not valid");
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(pauses).as("the third attempt came after two failures: slowed once").containsExactly(DELAY);
        assertThat(index().signInFailures("key:" + ConsoleServer.ROOT_ID).orElseThrow().count()).isEqualTo(MAX_KEY);

        HttpResponse<String> refused = attempt(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        assertThat(refused.statusCode()).as("even the right secret, within the window").isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains(Long.toString(WINDOW.toSeconds() - 3));
        assertThat(refused.body()).contains("Too many failed sign-ins. Try again in 10 minutes.", "name=\"form-token\"");
        assertThat(index().signInFailures("key:" + ConsoleServer.ROOT_ID).orElseThrow().count())
                .as("refusals are not counted, so the window is not extended").isEqualTo(MAX_KEY);

        clock.advance(WINDOW.minusSeconds(4)); // one second before the window's end
        HttpResponse<String> last = attempt(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).contains("1");
        assertThat(last.body()).contains("Try again in 1 second.");

        clock.advance(Duration.ofSeconds(1));
        assertThat(attempt(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET).statusCode()).isEqualTo(303);
    }

    @Test
    void aSuccessResetsTheKeysCount() throws Exception {
        wrong(ConsoleServer.ROOT_ID);
        wrong(ConsoleServer.ROOT_ID);
        assertThat(attempt(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET).statusCode()).isEqualTo(303);
        assertThat(index().signInFailures("key:" + ConsoleServer.ROOT_ID)).isEmpty();
        for (int i = 1; i <= MAX_KEY; i++) {
            assertThat(wrong(ConsoleServer.ROOT_ID).statusCode()).as("failure %d after the reset", i).isEqualTo(401);
        }
        assertThat(wrong(ConsoleServer.ROOT_ID).statusCode()).isEqualTo(429);
    }

    @Test
    void anAddressGuessingManyKeysIsRefusedWhateverTheKey() throws Exception {
        for (int i = 1; i <= MAX_ADDRESS; i++) {
            assertThat(wrong("AKIAGUESS" + i).statusCode()).as("guess %d", i).isEqualTo(401);
        }
        assertThat(index().signInFailures("ip:127.0.0.1").orElseThrow().count()).isEqualTo(MAX_ADDRESS);
        HttpResponse<String> refused = attempt(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET);
        assertThat(refused.statusCode()).as("a key that never failed, from the same address").isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains(Long.toString(WINDOW.toSeconds()));
        clock.advance(WINDOW);
        assertThat(attempt(ConsoleServer.ROOT_ID, ConsoleServer.ROOT_SECRET).statusCode()).isEqualTo(303);
    }

    @Test
    void wrongRegistryPasswordsCountAgainstTheAddress() throws Exception {
        for (int i = 1; i <= MAX_ADDRESS; i++) {
            assertThat(ConsoleSessionsFollowCredentialsTest.trySignInWithPassword(server, "not.a-token").statusCode())
                    .as("password %d", i).isEqualTo(401);
        }
        assertThat(ConsoleSessionsFollowCredentialsTest.trySignInWithPassword(server, "not.a-token").statusCode())
                .isEqualTo(429);
        assertThat(index().signInFailures("ip:127.0.0.1").orElseThrow().count()).isEqualTo(MAX_ADDRESS);
    }
}
