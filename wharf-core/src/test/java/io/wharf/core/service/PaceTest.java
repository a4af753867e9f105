package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The collector's pace, on a clock that only its sleeper moves. */
class PaceTest {
    private long now = 1_000;
    private final List<Long> sleeps = new ArrayList<>();

    private Pace pace(long perSecond) {
        return new Pace(perSecond, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        }, () -> now);
    }

    @Test
    void withoutALimitItNeverWaitsAndBatchesAreWhole() {
        Pace pace = pace(0);
        pace.deleted(1_000_000);
        assertThat(sleeps).isEmpty();
        assertThat(pace.batch(500)).isEqualTo(500);
    }

    @Test
    void itHoldsTheRateOverTheRunAndWaitsOnlyForWhatIsAhead() {
        Pace pace = pace(200);
        assertThat(pace.batch(500)).as("a tenth of a second's worth").isEqualTo(20);
        for (int i = 0; i < 10; i++) {
            pace.deleted(20);
        }
        assertThat(now - 1_000).as("200 deletions at 200/s").isEqualTo(1_000_000_000L);
        now += 3_000_000_000L; // the collector was slow for a while: that time counts, nothing to wait for
        pace.deleted(20);
        assertThat(sleeps).hasSize(10);
    }

    @Test
    void batchesStayBetweenTenAndTheMaximum() {
        assertThat(pace(5).batch(500)).isEqualTo(10);
        assertThat(pace(1_000_000).batch(500)).isEqualTo(500);
    }
}
