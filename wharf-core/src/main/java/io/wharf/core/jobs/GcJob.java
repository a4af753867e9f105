package io.wharf.core.jobs;

import io.wharf.core.service.GarbageCollector;
import io.wharf.core.service.GarbageCollector.Report;

/** {@link GarbageCollector#run} as the {@value #NAME} job; its counters are the run's report, updated per batch. */
public final class GcJob implements Job {
    public static final String NAME = "gc";

    private final GarbageCollector collector;

    public GcJob(GarbageCollector collector) {
        this.collector = collector;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(JobContext context) {
        Report report = collector.run(context::cancelled, r -> report(context, r));
        report(context, report);
        return JobResult.ok(summary(report));
    }

    /** One line for the log and {@code wharf gc}. */
    public static String summary(Report r) {
        return r.blobsDeleted() + " blobs deleted (" + r.bytesDeleted() + " bytes), " + r.orphansDeleted()
                + " orphaned files removed (" + r.orphanBytes() + " bytes), " + r.unlinked() + " unreferenced links removed, "
                + r.kept() + " blobs still referenced; " + r.reviewed() + " reviews, " + r.scheduled() + " newly scheduled";
    }

    private static void report(JobContext context, Report r) {
        context.count("scheduled", r.scheduled());
        context.count("reviewed", r.reviewed());
        context.count("kept", r.kept());
        context.count("unlinked", r.unlinked());
        context.count("blobs-deleted", r.blobsDeleted());
        context.count("bytes-deleted", r.bytesDeleted());
        context.count("orphans-deleted", r.orphansDeleted());
        context.count("orphan-bytes", r.orphanBytes());
        context.count("bytes-reclaimed", r.bytesReclaimed());
    }
}
