package io.wharf.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named background jobs and their leases: one row per job holding its schedule, its last outcome and,
 * while it runs, its owner (a node id) and the lease's expiry. Every change of ownership is a
 * compare-and-set on the row, so several processes sharing one database (PostgreSQL in a cluster) need
 * nothing else to agree on who runs what; a job whose owner died is taken over once its lease expired.
 */
public interface JobLeases {

    /**
     * Creates the job's row (idle, due at {@code firstDue}) or, when it exists, records the interval and brings
     * its next due time forward to {@code firstDue} if that is sooner: a shortened interval applies at once.
     *
     * @param interval zero for a job that runs only on request
     * @param firstDue null for a job that runs only on request
     */
    void registerJob(String name, Duration interval, Instant firstDue);

    /**
     * Takes the job's lease for {@code owner} until {@code expiresAt} when nobody holds it (no owner, or a lease
     * that expired before {@code now}) and the job is due ({@code nextDue <= now}) or a run was requested; the
     * request is consumed, and the run's start is recorded. Empty when another holds it or it is not due.
     */
    Optional<JobLease> acquireJob(String name, String owner, Instant now, Instant expiresAt);

    /**
     * Extends the lease and stores the run's counters so far, only while {@code lease} is still the job's
     * current lease (same owner, same expiry). Empty when it was lost: taken over, released or broken.
     */
    Optional<JobLease> renewJob(JobLease lease, Instant expiresAt, Map<String, Long> counters);

    /**
     * Ends the run held by {@code lease}: records its outcome, clears the owner and schedules the next run at
     * {@code nextDue} (null: keep the due time it had, so that a cancelled run is retried). False when the lease
     * was no longer the job's (its outcome is then not recorded: the job's new owner speaks for it).
     */
    boolean finishJob(JobLease lease, JobRecord.Outcome outcome, String message, Map<String, Long> counters,
                      Instant endedAt, Instant nextDue);

    /** Asks for a run as soon as a scheduler can take the lease. False when there is no such job. */
    boolean requestJobRun(String name, Instant now);

    Optional<JobRecord> findJob(String name);

    /** Every job, by name. */
    List<JobRecord> listJobs();

    /**
     * Breaks every lease, recording the interrupted runs as failed. Only for a process that knows it is the
     * database's sole user (a server holding its data directory's lock): any other owner is then dead.
     * Returns how many leases it broke.
     */
    int breakJobLeases(Instant now);
}
