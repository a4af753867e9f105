package io.wharf.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes, pulls and deletes per repository with bounded cardinality: the first {@code max} repositories seen get
 * their own {@code repository} label value, every later one is counted under {@value #OTHER}. Without labels (or
 * {@code max} 0) everything is counted under one label-less series per kind.
 */
final class RepositoryLabels {
    static final String OTHER = "_other";
    static final String PUSHES = "wharf.repository.pushes";
    static final String PULLS = "wharf.repository.pulls";
    static final String DELETES = "wharf.repository.deletes";

    /** The three counters of one label value. */
    record Counters(Counter pushes, Counter pulls, Counter deletes) {
    }

    private final MeterRegistry registry;
    private final boolean labelled;
    private final int max;
    private final ConcurrentHashMap<String, Counters> byRepository = new ConcurrentHashMap<>();
    private final AtomicInteger labels = new AtomicInteger();
    private final Counters other;

    RepositoryLabels(MeterRegistry registry, boolean labelled, int max) {
        this.registry = registry;
        this.labelled = labelled && max > 0;
        this.max = max;
        this.other = counters(this.labelled ? OTHER : null);
    }

    /** The counters of {@code repository} (null: not a repository's request, {@code _other}'s). */
    Counters of(String repository) {
        if (!labelled || repository == null) {
            return other;
        }
        Counters known = byRepository.get(repository);
        if (known != null) {
            return known;
        }
        if (labels.get() >= max) {
            return other;
        }
        Counters added = byRepository.computeIfAbsent(repository, this::admit);
        return added == null ? other : added;
    }

    /** Takes one of the {@code max} label values, or none (null: the map stays unchanged) when they are gone. */
    private Counters admit(String repository) {
        if (labels.incrementAndGet() > max) {
            labels.decrementAndGet();
            return null;
        }
        return counters(repository);
    }

    private Counters counters(String repository) {
        return new Counters(counter(PUSHES, "Image manifests pushed (successful manifest PUTs and ECR PutImage calls)",
                repository), counter(PULLS, "Image manifests pulled (successful manifest GETs and ECR BatchGetImage calls)",
                repository), counter(DELETES, "Image deletions (manifest DELETEs and ECR BatchDeleteImage calls)",
                repository));
    }

    private Counter counter(String name, String help, String repository) {
        Counter.Builder b = Counter.builder(name).description(help);
        return (repository == null ? b : b.tag("repository", repository)).register(registry);
    }
}
