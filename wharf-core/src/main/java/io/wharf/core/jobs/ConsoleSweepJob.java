package io.wharf.core.jobs;

import io.wharf.core.spi.ConsoleSessionIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@value #NAME} job: deletes the console sessions that ended (past their absolute end, or idle longer than the
 * idle timeout) and the failed-sign-in counts whose window is over, so neither table grows with time.
 */
public final class ConsoleSweepJob implements Job {
    public static final String NAME = "console-sweep";

    private final ConsoleSessionIndex index;
    private final Duration idleTimeout;
    private final Duration throttleWindow;
    private final Clock clock;

    public ConsoleSweepJob(ConsoleSessionIndex index, Duration idleTimeout, Duration throttleWindow, Clock clock) {
        this.index = index;
        this.idleTimeout = idleTimeout;
        this.throttleWindow = throttleWindow;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        Instant now = clock.instant();
        int sessions = index.deleteExpiredSessions(now, now.minus(idleTimeout));
        int failures = index.deleteSignInFailures(now.minus(throttleWindow));
        context.count("sessions", sessions);
        context.count("sign-in-failures", failures);
        return JobResult.ok("deleted " + sessions + " ended console sessions and " + failures
                + " expired failed-sign-in counts", sessions + failures == 0);
    }
}
