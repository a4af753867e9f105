package io.wharf.core.jobs;

import io.wharf.core.spi.JobRecord.Outcome;
import java.util.Objects;

/** How a run ended, with a short human summary (stored as the job's last message). */
public record JobResult(Outcome outcome, String message) {
    public JobResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    public static JobResult ok(String message) {
        return new JobResult(Outcome.OK, message);
    }

    public static JobResult failed(String message) {
        return new JobResult(Outcome.FAILED, message);
    }

    public static JobResult cancelled(String message) {
        return new JobResult(Outcome.CANCELLED, message);
    }
}
