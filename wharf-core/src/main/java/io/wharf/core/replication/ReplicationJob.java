package io.wharf.core.replication;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;

/**
 * {@value #NAME}: advances backfills and runs the due replication tasks (claimed one by one, so the nodes of a
 * cluster share them). Scheduled every {@code replication.interval}, and woken by the subscriber when it queues work.
 */
public final class ReplicationJob implements Job {
    public static final String NAME = "replication";

    private final ReplicationRunner runner;

    public ReplicationJob(ReplicationRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        ReplicationRunner.Counts c = runner.runDue(context::cancelled);
        context.count("replicated", c.replicated());
        context.count("failed", c.failed());
        context.count("retried", c.retried());
        context.count("backfilled", c.backfilled());
        return JobResult.ok("replicated " + c.replicated() + ", failed " + c.failed() + ", to retry " + c.retried()
                + ", queued by backfills " + c.backfilled(), c.replicated() + c.failed() + c.retried() + c.backfilled() == 0);
    }
}
