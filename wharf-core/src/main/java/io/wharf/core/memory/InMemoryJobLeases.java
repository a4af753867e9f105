package io.wharf.core.memory;

import io.wharf.core.spi.JobLease;
import io.wharf.core.spi.JobLeases;
import io.wharf.core.spi.JobRecord;
import io.wharf.core.spi.JobRecord.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link JobLeases} on the heap; one monitor makes every compare-and-set atomic. */
public final class InMemoryJobLeases implements JobLeases {
    private final Map<String, JobRecord> jobs = new TreeMap<>();

    @Override
    public synchronized void registerJob(String name, Duration interval, Instant firstDue) {
        JobRecord j = jobs.get(name);
        if (j == null) {
            jobs.put(name, new JobRecord(name, interval, null, null, null, null, null, null, Map.of(), firstDue, null));
            return;
        }
        Instant due = firstDue != null && (j.nextDueAt() == null || firstDue.isBefore(j.nextDueAt())) ? firstDue : j.nextDueAt();
        jobs.put(name, new JobRecord(name, interval, j.owner(), j.leaseExpiresAt(), j.lastStartedAt(), j.lastEndedAt(),
                j.lastOutcome(), j.lastMessage(), j.counters(), due, j.runRequestedAt()));
    }

    @Override
    public synchronized Optional<JobLease> acquireJob(String name, String owner, Instant now, Instant expiresAt) {
        JobRecord j = jobs.get(name);
        if (j == null || (j.owner() != null && !j.leaseExpiresAt().isBefore(now))) {
            return Optional.empty();
        }
        // an expired lease is a run whose runner died: taken over whether or not the job is due by its schedule
        boolean due = j.owner() != null || j.runRequestedAt() != null || (j.nextDueAt() != null && !j.nextDueAt().isAfter(now));
        if (!due) {
            return Optional.empty();
        }
        jobs.put(name, new JobRecord(name, j.interval(), owner, expiresAt, now, j.lastEndedAt(), j.lastOutcome(),
                j.lastMessage(), Map.of(), j.nextDueAt(), null));
        return Optional.of(new JobLease(name, owner, expiresAt));
    }

    @Override
    public synchronized Optional<JobLease> renewJob(JobLease lease, Instant expiresAt, Map<String, Long> counters) {
        JobRecord j = held(lease);
        if (j == null) {
            return Optional.empty();
        }
        jobs.put(j.name(), new JobRecord(j.name(), j.interval(), j.owner(), expiresAt, j.lastStartedAt(), j.lastEndedAt(),
                j.lastOutcome(), j.lastMessage(), counters, j.nextDueAt(), j.runRequestedAt()));
        return Optional.of(new JobLease(j.name(), j.owner(), expiresAt));
    }

    @Override
    public synchronized boolean finishJob(JobLease lease, Outcome outcome, String message, Map<String, Long> counters,
                                          Instant endedAt, Instant nextDue) {
        JobRecord j = held(lease);
        if (j == null) {
            return false;
        }
        jobs.put(j.name(), new JobRecord(j.name(), j.interval(), null, null, j.lastStartedAt(), endedAt, outcome, message,
                counters, nextDue != null ? nextDue : j.nextDueAt(), j.runRequestedAt()));
        return true;
    }

    /** The job's row when {@code lease} is its current lease, else null. */
    private JobRecord held(JobLease lease) {
        JobRecord j = jobs.get(lease.job());
        return j != null && lease.owner().equals(j.owner()) && lease.expiresAt().equals(j.leaseExpiresAt()) ? j : null;
    }

    @Override
    public synchronized boolean requestJobRun(String name, Instant now) {
        JobRecord j = jobs.get(name);
        if (j == null) {
            return false;
        }
        jobs.put(name, new JobRecord(name, j.interval(), j.owner(), j.leaseExpiresAt(), j.lastStartedAt(), j.lastEndedAt(),
                j.lastOutcome(), j.lastMessage(), j.counters(), j.nextDueAt(), now));
        return true;
    }

    @Override
    public synchronized Optional<JobRecord> findJob(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    @Override
    public synchronized List<JobRecord> listJobs() {
        return List.copyOf(jobs.values());
    }

    @Override
    public synchronized int breakJobLeases(Instant now) {
        int broken = 0;
        for (JobRecord j : List.copyOf(jobs.values())) {
            if (j.owner() != null) {
                jobs.put(j.name(), new JobRecord(j.name(), j.interval(), null, null, j.lastStartedAt(), now,
                        Outcome.FAILED, JobRecord.brokenLeaseMessage(j.owner()), j.counters(), j.nextDueAt(), j.runRequestedAt()));
                broken++;
            }
        }
        return broken;
    }
}
