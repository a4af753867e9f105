package io.wharf.core.replication;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.ReplicationIndex;
import io.wharf.core.spi.ReplicationIndex.Status;
import io.wharf.core.spi.ReplicationIndex.Task;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs due replication tasks on this node: each claimed by compare-and-set under a lease (so nodes share them and a
 * dead node's tasks are taken over), copied to its destination, and ended COMPLETE or FAILED with an
 * {@link RegistryEvent.ImageReplicated} in the same transaction; a retryable failure is tried again after an
 * exponential backoff, up to {@code replication.max-attempts}. Backfills advance one page of repositories per round.
 */
public final class ReplicationRunner {
    private static final System.Logger LOG = System.getLogger("io.wharf.replication");

    /** What one {@link #runDue} did. */
    public record Counts(int replicated, int failed, int retried, long backfilled) {
    }

    private final Registry registry;
    private final ReplicationService service;
    private final LocalCopy local;
    private final RemoteCopy remote;
    private final Backfiller backfiller;
    private final String nodeId;
    private final Clock clock;

    public ReplicationRunner(Registry registry, ReplicationService service, RemoteRegistries remotes, RemoteTargets targets,
                             String nodeId, Clock clock) {
        this.registry = registry;
        this.service = service;
        this.local = new LocalCopy(registry, service.settings().region(), clock);
        this.remote = new RemoteCopy(registry, remotes, targets, service.settings().region());
        this.backfiller = new Backfiller(registry, service, clock);
        this.nodeId = nodeId;
        this.clock = clock;
    }

    private ReplicationIndex index() {
        return registry.metadata().replication();
    }

    /** Advances the backfills, then runs due tasks until none is left due or {@code cancelled}. */
    public Counts runDue(BooleanSupplier cancelled) {
        long backfilled = backfiller.step(cancelled);
        AtomicInteger replicated = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        int parallelism = service.settings().parallelism();
        Semaphore slots = new Semaphore(parallelism);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Task> due;
            while (!cancelled.getAsBoolean() && !(due = index().claimable(clock.instant(), parallelism * 4)).isEmpty()) {
                for (Task t : due) {
                    slots.acquireUninterruptibly();
                    workers.submit(() -> {
                        try {
                            switch (runOne(t)) {
                                case COMPLETE -> replicated.incrementAndGet();
                                case FAILED -> failed.incrementAndGet();
                                case IN_PROGRESS -> retried.incrementAndGet();
                                case null -> { }
                            }
                        } finally {
                            slots.release();
                        }
                    });
                }
                slots.acquireUninterruptibly(parallelism); // this batch is done before the next is listed
                slots.release(parallelism);
            }
        }
        return new Counts(replicated.get(), failed.get(), retried.get(), backfilled);
    }

    /** Claims and runs one task: the status it ended in (IN_PROGRESS: to be retried), or null when it was not ours. */
    Status runOne(Task due) {
        Instant now = clock.instant();
        Optional<Task> claimed = index().claim(due.repositoryId(), due.digest(), due.target(), nodeId, now,
                now.plus(service.settings().claimLease()));
        if (claimed.isEmpty()) {
            return null;
        }
        Task task = claimed.get();
        try {
            Optional<ImagePlan> plan = ImagePlan.of(registry.metadata(), task.repositoryId(), task.digest());
            if (plan.isEmpty()) {
                return null; // deleted meanwhile: its task went with it
            }
            ReplicationConfiguration config = service.configuration(task.account());
            ImagePlan sent = plan.get().withTags(config.tagsFor(new ReplicationConfiguration.Destination(
                    task.target().region(), task.target().registryId()), task.repository(), plan.get().tags()));
            copy(task, sent);
            return end(task, sent, Status.COMPLETE, null);
        } catch (ReplicationFailure f) {
            return failed(task, f.getMessage(), f.retryable());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "replication of " + describe(task) + " failed", e);
            return failed(task, "internal error: " + e.getMessage(), true);
        }
    }

    private void copy(Task task, ImagePlan plan) throws ReplicationFailure {
        if (task.target().region().equals(service.settings().region())) {
            local.copy(task, task.repositoryId(), plan);
        } else {
            remote.copy(task, plan);
        }
    }

    private Status failed(Task task, String reason, boolean retryable) {
        if (retryable && task.attempts() < service.settings().maxAttempts()) {
            Instant now = clock.instant();
            index().retryAt(task.repositoryId(), task.digest(), task.target(), nodeId, reason,
                    now.plus(service.settings().delayAfter(task.attempts())), now);
            return Status.IN_PROGRESS;
        }
        LOG.log(System.Logger.Level.INFO, "replication of " + describe(task) + " failed after " + task.attempts()
                + " attempts: " + reason);
        return end(task, null, Status.FAILED, reason);
    }

    /** Records the outcome and its event in one transaction (nothing when the claim was lost meanwhile). */
    private Status end(Task task, ImagePlan plan, Status status, String failure) {
        Instant now = clock.instant();
        boolean ended = registry.metadata().inTransaction("record a replication", unit -> {
            if (!index().finish(task.repositoryId(), task.digest(), task.target(), nodeId, status, failure, now)) {
                return false;
            }
            unit.emit(new RegistryEvent.ImageReplicated(task.account(), task.repository(), task.digest(),
                    plan == null ? List.of() : plan.tags(), task.target().region(), task.target().registryId(),
                    status == Status.COMPLETE ? "SUCCESS" : "FAILED", failure), now);
            return true;
        });
        return ended ? status : null;
    }

    private static String describe(Task t) {
        return t.account() + "/" + t.repository() + "@" + t.digest() + " to " + t.target().region() + "/" + t.target().registryId();
    }
}
