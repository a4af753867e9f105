package io.wharf.core.jobs;

import io.wharf.core.service.UploadSweeper;

/** {@link UploadSweeper#sweep} as the {@value #NAME} job: expired sessions and stale orphan upload bytes. */
public final class UploadSweepJob implements Job {
    public static final String NAME = "upload-sweep";

    private final UploadSweeper sweeper;

    public UploadSweepJob(UploadSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        int removed = sweeper.sweep();
        context.count("removed", removed);
        return JobResult.ok("removed " + removed + " expired or orphaned uploads", removed == 0);
    }
}
