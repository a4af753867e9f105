package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.iam.Principal;
import java.time.Clock;
import java.time.Duration;

/** A console session for tests that are not about signing in: started as the sign-in form would. */
final class SessionCookie {

    private SessionCookie() {
    }

    /** A root session in the server's database; returns the cookie's value. */
    static String signIn(ConsoleServer server) {
        var sessions = new ConsoleSessions(server.backend.registry().metadata().consoleSessions(),
                Duration.ofHours(1), Duration.ofHours(1), Clock.systemUTC(), (principal, key) -> true);
        ConsoleSessions.Started started = sessions.start(Principal.root(ConsoleServer.ACCOUNT));
        assertThat(started.cookieId()).isNotBlank();
        return started.cookieId();
    }
}
