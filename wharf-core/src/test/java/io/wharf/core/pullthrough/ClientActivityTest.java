package io.wharf.core.pullthrough;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientActivityTest {
    private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(200);
    private final ClientActivity activity = new ClientActivity();

    @Test
    void aRepositoryNoClientStreamedIsQuietFromTheGivenStart() {
        long now = System.nanoTime();
        assertThat(activity.untilQuiet("1/a", now - QUIET, QUIET)).isZero();
        assertThat(activity.untilQuiet("1/a", now, QUIET)).isPositive().isLessThanOrEqualTo(QUIET);
    }

    @Test
    void aStreamKeepsItBusyAndItsEndStartsTheQuietSpell() throws Exception {
        activity.begin("1/a");
        activity.begin("1/a");
        long longAgo = System.nanoTime() - 10 * QUIET;
        assertThat(activity.untilQuiet("1/a", longAgo, QUIET)).isEqualTo(QUIET);
        activity.end("1/a");
        assertThat(activity.untilQuiet("1/a", longAgo, QUIET)).as("one stream still runs").isEqualTo(QUIET);
        activity.end("1/a");
        assertThat(activity.untilQuiet("1/a", longAgo, QUIET)).isPositive().isLessThanOrEqualTo(QUIET);
        assertThat(activity.untilQuiet("1/b", longAgo, QUIET)).as("another repository").isZero();

        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(QUIET) + 20);
        assertThat(activity.untilQuiet("1/a", longAgo, QUIET)).isZero();
    }
}
