package io.wharf.core.memory;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.ReplicationIndex;
import io.wharf.core.spi.Repository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;

/** {@link ReplicationIndex} in memory, under the store's monitor; a task whose manifest is gone is dropped when seen. */
final class InMemoryReplication implements ReplicationIndex {
    private record Key(long repositoryId, Digest digest, Target target) {
    }

    private final Object lock;
    private final BiPredicate<Long, Digest> manifestExists;
    private final LongFunction<Optional<Repository>> repositories;
    private final Map<String, String> configurations = new HashMap<>();
    private final Map<Key, Task> tasks = new HashMap<>();
    private final Map<Long, Backfill> backfills = new HashMap<>();
    private final Map<Long, java.util.Set<Digest>> replicatedIn = new HashMap<>();
    private long nextBackfill = 1;

    InMemoryReplication(Object lock, BiPredicate<Long, Digest> manifestExists, LongFunction<Optional<Repository>> repositories) {
        this.lock = lock;
        this.manifestExists = manifestExists;
        this.repositories = repositories;
    }

    @Override
    public void markReplicatedIn(long repositoryId, Digest digest, String source, Instant now) {
        synchronized (lock) {
            replicatedIn.computeIfAbsent(repositoryId, k -> new java.util.HashSet<>()).add(digest);
        }
    }

    @Override
    public java.util.Set<Digest> replicatedIn(long repositoryId) {
        synchronized (lock) {
            return replicatedIn.getOrDefault(repositoryId, java.util.Set.of()).stream()
                    .filter(d -> manifestExists.test(repositoryId, d)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    @Override
    public Optional<String> configuration(String account) {
        synchronized (lock) {
            return Optional.ofNullable(configurations.get(account));
        }
    }

    @Override
    public void putConfiguration(String account, String json, Instant now) {
        synchronized (lock) {
            configurations.put(account, json);
        }
    }

    @Override
    public int request(long repositoryId, Digest digest, List<Target> targets, long backfill, Instant now) {
        synchronized (lock) {
            Optional<Repository> repo = repositories.apply(repositoryId);
            if (repo.isEmpty() || !manifestExists.test(repositoryId, digest)) {
                return 0;
            }
            int queued = 0;
            for (Target target : targets) {
                Key key = new Key(repositoryId, digest, target);
                Task old = tasks.get(key);
                boolean skip = old != null && (old.status() == Status.IN_PROGRESS && old.owner() == null
                        || backfill > 0 && old.status() != Status.FAILED);
                if (!skip) { // a push re-queueing a task keeps the backfill that queued it
                    long by = backfill == 0 && old != null ? old.backfill() : backfill;
                    tasks.put(key, new Task(repositoryId, repo.get().account(), repo.get().name(), digest, target,
                            Status.IN_PROGRESS, null, 0, now, null, null, by, now));
                    queued++;
                }
            }
            return queued;
        }
    }

    @Override
    public List<Task> claimable(Instant now, int limit) {
        synchronized (lock) {
            dropOrphans();
            return tasks.values().stream().filter(t -> claimable(t, now))
                    .sorted(Comparator.comparing(Task::dueAt)).limit(limit).toList();
        }
    }

    private static boolean claimable(Task t, Instant now) {
        return t.status() == Status.IN_PROGRESS && (t.owner() == null ? !t.dueAt().isAfter(now) : t.leaseExpiresAt().isBefore(now));
    }

    @Override
    public Optional<Task> claim(long repositoryId, Digest digest, Target target, String owner, Instant now, Instant leaseExpiresAt) {
        synchronized (lock) {
            Key key = new Key(repositoryId, digest, target);
            Task t = tasks.get(key);
            if (t == null || !claimable(t, now) || !manifestExists.test(repositoryId, digest)) {
                return Optional.empty();
            }
            Task claimed = new Task(t.repositoryId(), t.account(), t.repository(), digest, target, Status.IN_PROGRESS,
                    t.failure(), t.attempts() + 1, t.dueAt(), owner, leaseExpiresAt, t.backfill(), now);
            tasks.put(key, claimed);
            return Optional.of(claimed);
        }
    }

    @Override
    public boolean finish(long repositoryId, Digest digest, Target target, String owner, Status status, String failure, Instant now) {
        return change(repositoryId, digest, target, owner, t -> new Task(t.repositoryId(), t.account(), t.repository(),
                digest, target, status, failure, t.attempts(), t.dueAt(), null, null, t.backfill(), now));
    }

    @Override
    public boolean retryAt(long repositoryId, Digest digest, Target target, String owner, String failure, Instant dueAt, Instant now) {
        return change(repositoryId, digest, target, owner, t -> new Task(t.repositoryId(), t.account(), t.repository(),
                digest, target, Status.IN_PROGRESS, failure, t.attempts(), dueAt, null, null, t.backfill(), now));
    }

    private boolean change(long repositoryId, Digest digest, Target target, String owner, java.util.function.UnaryOperator<Task> next) {
        synchronized (lock) {
            Key key = new Key(repositoryId, digest, target);
            Task t = tasks.get(key);
            if (t == null || t.status() != Status.IN_PROGRESS || !owner.equals(t.owner())) {
                return false;
            }
            tasks.put(key, next.apply(t));
            return true;
        }
    }

    @Override
    public List<Task> tasks(long repositoryId, Digest digest) {
        synchronized (lock) {
            dropOrphans();
            return tasks.values().stream().filter(t -> t.repositoryId() == repositoryId && t.digest().equals(digest))
                    .sorted(Comparator.comparing((Task t) -> t.target().region()).thenComparing(t -> t.target().registryId()))
                    .toList();
        }
    }

    private void dropOrphans() {
        tasks.values().removeIf(t -> !manifestExists.test(t.repositoryId(), t.digest()));
    }

    @Override
    public long createBackfill(String account, Instant now) {
        synchronized (lock) {
            long id = nextBackfill++;
            backfills.put(id, new Backfill(id, account, Backfill.RUNNING, now, null, null, 0, 0));
            return id;
        }
    }

    @Override
    public Optional<Backfill> backfill(long id) {
        synchronized (lock) {
            return Optional.ofNullable(backfills.get(id));
        }
    }

    @Override
    public List<Backfill> backfills(String account, int limit) {
        synchronized (lock) {
            return backfills.values().stream().filter(b -> b.account().equals(account))
                    .sorted(Comparator.comparingLong(Backfill::id).reversed()).limit(limit).toList();
        }
    }

    @Override
    public List<Backfill> runningBackfills(int limit) {
        synchronized (lock) {
            return backfills.values().stream().filter(b -> b.state().equals(Backfill.RUNNING))
                    .sorted(Comparator.comparingLong(Backfill::id)).limit(limit).toList();
        }
    }

    @Override
    public boolean advanceBackfill(long id, RepositoryName expectedAfter, RepositoryName after, long images, long queued,
                                   boolean done, Instant now) {
        synchronized (lock) {
            Backfill b = backfills.get(id);
            if (b == null || !b.state().equals(Backfill.RUNNING) || !java.util.Objects.equals(b.after(), expectedAfter)) {
                return false;
            }
            backfills.put(id, new Backfill(id, b.account(), done ? Backfill.DONE : Backfill.RUNNING, b.createdAt(),
                    done ? now : null, after, b.images() + images, b.queued() + queued));
            return true;
        }
    }

    @Override
    public Map<Status, Long> backfillProgress(long id) {
        synchronized (lock) {
            dropOrphans();
            Map<Status, Long> out = new EnumMap<>(Status.class);
            tasks.values().stream().filter(t -> t.backfill() == id).forEach(t -> out.merge(t.status(), 1L, Long::sum));
            return out;
        }
    }
}
