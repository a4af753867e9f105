package io.wharf.core.service;

import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.lifecycle.ImageFacts;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.LifecyclePolicyException;
import io.wharf.core.lifecycle.Verdict;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredDocument;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Lifecycle policy previews and the record of the last run ({@code lastEvaluatedAt}); the runs are {@link LifecycleRunner}'s. */
public final class LifecycleService {
    private final MetadataStore meta;
    private final Repositories repositories;
    private final Clock clock;

    LifecycleService(MetadataStore meta, Repositories repositories, Clock clock) {
        this.meta = meta;
        this.repositories = repositories;
        this.clock = clock;
    }

    /**
     * Evaluates {@code draft}, or the repository's policy when it is null, as a run would now, and stores the result
     * in place of the previous preview.
     */
    public LifecyclePreview startPreview(RepoKey key, LifecyclePolicy draft) {
        Repository repo = repositories.require(key);
        LifecyclePolicy policy = draft != null ? draft : storedPolicy(key, repo);
        Instant now = clock.instant();
        LifecycleSelection.Selected selected = LifecycleSelection.select(meta, repo, policy, now);
        LifecyclePreview preview = new LifecyclePreview(policy.json(), now, selected.verdicts().stream()
                .map(v -> result(v, selected.images().get(v.digest()))).toList());
        if (!meta.putRepositoryDocument(repo.id(), DocumentKind.LIFECYCLE_PREVIEW, preview.toJson(), now)) {
            throw Repositories.unknown(key); // deleted meanwhile
        }
        return preview;
    }

    /** The last preview started for the repository. */
    public LifecyclePreview preview(RepoKey key) {
        Repository repo = repositories.require(key);
        return meta.repositoryDocument(repo.id(), DocumentKind.LIFECYCLE_PREVIEW)
                .map(doc -> LifecyclePreview.fromJson(doc.text()))
                .orElseThrow(() -> new PolicyNotFoundException(PolicyNotFoundException.Kind.LIFECYCLE_POLICY_PREVIEW,
                        "There is no lifecycle policy preview for the repository with name '" + key.name()
                                + "' in the registry with id '" + key.account() + "'", key.name().value()));
    }

    /** When a run last evaluated the repository's current policy; empty if none has since it was put. */
    public Optional<Instant> lastEvaluatedAt(RepoKey key) {
        Repository repo = repositories.require(key);
        Optional<StoredDocument> policy = meta.repositoryDocument(repo.id(), DocumentKind.LIFECYCLE_POLICY);
        return meta.repositoryDocument(repo.id(), DocumentKind.LIFECYCLE_EVALUATION)
                .filter(run -> policy.isPresent() && run.text().equals(policy.get().text()))
                .map(StoredDocument::updatedAt);
    }

    private LifecyclePolicy storedPolicy(RepoKey key, Repository repo) {
        String text = meta.repositoryDocument(repo.id(), DocumentKind.LIFECYCLE_POLICY).map(StoredDocument::text)
                .orElseThrow(() -> new PolicyNotFoundException(PolicyNotFoundException.Kind.LIFECYCLE_POLICY,
                        "Lifecycle policy does not exist for the repository with name '" + key.name()
                                + "' in the registry with id '" + key.account() + "'", key.name().value()));
        return parseStored(text);
    }

    /** A stored policy was validated when it was put; failing now is a defect, not a user error. */
    static LifecyclePolicy parseStored(String text) {
        try {
            return LifecyclePolicy.parse(text);
        } catch (LifecyclePolicyException e) {
            throw new IllegalStateException("a stored lifecycle policy no longer parses: " + e.getMessage(), e);
        }
    }

    private static LifecyclePreview.Result result(Verdict v, ImageFacts image) {
        return new LifecyclePreview.Result(v.digest(), image.tags(), image.pushedAt(), v.rulePriority(), v.action());
    }
}
