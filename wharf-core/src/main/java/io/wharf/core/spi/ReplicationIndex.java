package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replication (docs/replication.md): each account's configuration, one task per (image, destination) with its
 * status, attempts and lease, and backfills with their progress. A task goes with its manifest. Every change of
 * ownership is a compare-and-set on the row (status, owner, lease), so nodes sharing one database never run one
 * task twice at once and take over a task whose lease expired.
 */
public interface ReplicationIndex {

    /** ECR's per-destination statuses; a task waiting for its (next) attempt is IN_PROGRESS too. */
    enum Status { IN_PROGRESS, COMPLETE, FAILED }

    /** Where a task copies to: a region (a deployment) and a registry (an account) there. */
    record Target(String region, String registryId) {
    }

    /** One image's replication to one target. {@code backfill} is the backfill that queued it, or 0. */
    record Task(long repositoryId, String account, RepositoryName repository, Digest digest, Target target,
                Status status, String failure, int attempts, Instant dueAt, String owner, Instant leaseExpiresAt,
                long backfill, Instant updatedAt) {
    }

    /** A backfill: replicating the images that existed before a rule, one repository at a time (by name). */
    record Backfill(long id, String account, String state, Instant createdAt, Instant finishedAt,
                    RepositoryName after, long images, long queued) {
        public static final String RUNNING = "RUNNING";
        public static final String DONE = "DONE";
    }

    /**
     * Records, in the caller's transaction, that the image came here by replication from {@code source}
     * ({@code <region>/<account>}), so that no backfill sends it onward. Idempotent; goes with the manifest.
     */
    void markReplicatedIn(long repositoryId, Digest digest, String source, Instant now);

    /** The images of the repository that came here by replication. */
    java.util.Set<Digest> replicatedIn(long repositoryId);

    /** The account's configuration (JSON), or empty when never set. */
    Optional<String> configuration(String account);

    void putConfiguration(String account, String json, Instant now);

    /**
     * Queues the image for each target: a new task IN_PROGRESS due now, or an existing one reset (attempts 0,
     * owner cleared: a running copy may have missed a tag that came since). A task already waiting unclaimed is
     * left as it is (its copy reads the tags when it runs). With {@code backfill} &gt; 0 only missing and FAILED
     * tasks are queued. Returns how many were queued; nothing when the manifest is gone.
     */
    int request(long repositoryId, Digest digest, List<Target> targets, long backfill, Instant now);

    /** Tasks a node may claim now: IN_PROGRESS, unowned and due, or owned under a lease that expired; oldest due first. */
    List<Task> claimable(Instant now, int limit);

    /** Takes the task for {@code owner} until {@code leaseExpiresAt} (attempts + 1) when it is claimable; empty when another node got it. */
    Optional<Task> claim(long repositoryId, Digest digest, Target target, String owner, Instant now, Instant leaseExpiresAt);

    /**
     * Ends the task {@code owner} holds as COMPLETE or FAILED with {@code failure}; joins the caller's transaction
     * so the event reporting it commits with it. False when the claim was lost.
     */
    boolean finish(long repositoryId, Digest digest, Target target, String owner, Status status, String failure, Instant now);

    /** Releases the task {@code owner} holds to be tried again at {@code dueAt}, recording why the attempt failed. */
    boolean retryAt(long repositoryId, Digest digest, Target target, String owner, String failure, Instant dueAt, Instant now);

    /** The image's tasks, by target. */
    List<Task> tasks(long repositoryId, Digest digest);

    /** Starts a RUNNING backfill of the account; returns its id. */
    long createBackfill(String account, Instant now);

    Optional<Backfill> backfill(long id);

    /** The account's backfills, newest first, at most {@code limit}. */
    List<Backfill> backfills(String account, int limit);

    /** RUNNING backfills, oldest first. */
    List<Backfill> runningBackfills(int limit);

    /**
     * Moves the backfill's cursor from {@code expectedAfter} (null: the start) past {@code after}, adding to its
     * counters, and ends it when {@code done}. False when another node moved it first.
     */
    boolean advanceBackfill(long id, RepositoryName expectedAfter, RepositoryName after, long images, long queued,
                            boolean done, Instant now);

    /** How many of the backfill's tasks are in each status (statuses with none are left out). */
    Map<Status, Long> backfillProgress(long id);
}
