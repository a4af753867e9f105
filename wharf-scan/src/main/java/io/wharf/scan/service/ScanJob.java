package io.wharf.scan.service;

import io.wharf.core.jobs.Job;
import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;

/**
 * {@value #NAME}: runs the waiting scans (claimed one by one, so the nodes of a cluster share them) and then
 * the continuous re-matches of images whose advisories changed. Scheduled every {@code scanning.interval}.
 */
public final class ScanJob implements Job {
    public static final String NAME = "scan";

    private final ScanRunner runner;

    public ScanJob(ScanRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        int scanned = runner.runPending(context::cancelled);
        context.count("scanned", scanned);
        int rematched = runner.rescanContinuous(context::cancelled);
        context.count("rematched", rematched);
        return JobResult.ok("scanned " + scanned + " images, re-matched " + rematched, scanned + rematched == 0);
    }
}
