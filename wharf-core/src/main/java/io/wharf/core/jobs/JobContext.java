package io.wharf.core.jobs;

/** What a running job may tell its scheduler, and ask it. */
public interface JobContext {

    /** Sets a progress counter (logged periodically, stored with the lease and shown by the API). */
    void count(String counter, long value);

    /** Adds {@code delta} to a progress counter. */
    void add(String counter, long delta);

    /** True once the run should stop: its lease was lost to another runner, or the scheduler is stopping. */
    boolean cancelled();
}
