package io.wharf.core.jobs;

import io.wharf.core.service.LifecycleRunner;

/** {@link LifecycleRunner#runOnce} as the {@value #NAME} job: every repository's lifecycle policy, applied. */
public final class LifecycleJob implements Job {
    public static final String NAME = "lifecycle";

    private final LifecycleRunner runner;

    public LifecycleJob(LifecycleRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A repository whose run failed is logged by the runner and tried again next time; the others still run. */
    @Override
    public JobResult run(JobContext context) {
        LifecycleRunner.Summary summary = runner.runOnce();
        context.count("repositories", summary.reports().size());
        context.count("expired", summary.expired());
        context.count("failed", summary.failed());
        String message = summary.reports().size() + " repositories evaluated, " + summary.expired()
                + " images expired, " + summary.failed() + " runs failed";
        return summary.failed() == 0 ? JobResult.ok(message) : JobResult.failed(message);
    }
}
