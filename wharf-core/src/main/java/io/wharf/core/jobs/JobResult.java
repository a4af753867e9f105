package io.wharf.core.jobs;

import io.wharf.core.spi.JobRecord.Outcome;
import java.util.Objects;

/**
 * How a run ended, with a short human summary (stored as the job's last message). {@code idle}: an OK run that found
 * nothing to do — the frequent polls of the scan and replication jobs — is logged at debug level only.
 */
public record JobResult(Outcome outcome, String message, boolean idle) {
    public JobResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    public JobResult(Outcome outcome, String message) {
        this(outcome, message, false);
    }

    public static JobResult ok(String message) {
        return new JobResult(Outcome.OK, message);
    }

    /** OK; {@code idle} when the run did nothing worth a line in the log. */
    public static JobResult ok(String message, boolean idle) {
        return new JobResult(Outcome.OK, message, idle);
    }

    public static JobResult failed(String message) {
        return new JobResult(Outcome.FAILED, message);
    }

    public static JobResult cancelled(String message) {
        return new JobResult(Outcome.CANCELLED, message);
    }
}
