package io.wharf.core.jobs;

/**
 * A named unit of background work (the upload sweep, the scrub, lifecycle, GC). A scheduler runs it only
 * while it holds the job's lease in the metadata database, so exactly one process of a deployment runs a
 * job at a time; the job reports progress through its {@link JobContext} and should stop early once
 * {@link JobContext#cancelled()} (its thread is also interrupted then).
 */
public interface Job {

    /** Stable name: the job's row, its API path and its CLI argument ({@code [a-z0-9-]+}). */
    String name();

    /** One run. An exception ends the run as failed; {@link java.util.concurrent.CancellationException} as cancelled. */
    JobResult run(JobContext context);

    /**
     * The job was asked to run while a run of it is going in this process: there is new work. A run that waits
     * between rounds may look for it at once. Nothing by default.
     */
    default void nudge() {
    }
}
