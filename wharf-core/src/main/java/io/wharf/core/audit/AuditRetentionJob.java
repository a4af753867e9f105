package io.wharf.core.audit;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;
import io.wharf.core.spi.AuditIndex;
import java.time.Clock;
import java.time.Duration;

/** Deletes audit records older than the retention ({@code audit.retention}), in bounded batches, under the job's lease. */
public final class AuditRetentionJob implements Job {
    public static final String NAME = "audit-retention";
    static final int BATCH = 5_000;

    private final AuditIndex index;
    private final Duration retention;
    private final Clock clock;

    public AuditRetentionJob(AuditIndex index, Duration retention, Clock clock) {
        this.index = index;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        var cutoff = clock.instant().minus(retention);
        long deleted = 0;
        int n;
        do {
            n = index.deleteAuditBefore(cutoff, BATCH);
            deleted += n;
            context.count("deleted", deleted);
        } while (n == BATCH && !context.cancelled());
        return JobResult.ok(deleted + " audit records older than " + cutoff + " deleted", deleted == 0);
    }
}
