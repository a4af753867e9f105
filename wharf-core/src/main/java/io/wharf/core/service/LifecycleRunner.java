package io.wharf.core.service;

import io.wharf.core.lifecycle.ActionType;
import io.wharf.core.lifecycle.ImageFacts;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.Verdict;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredDocument;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Carries lifecycle policies out: evaluates a repository's policy over its images now (the selection a preview
 * shows at the same instant), expires what it selects oldest first, and records the run ({@code lastEvaluatedAt}).
 * The background job calls {@link #runOnce()}; nothing here schedules.
 *
 * <p>An expiry is an image delete by digest through {@link ImageService#batchDelete}, the call BatchDeleteImage
 * makes, so all of its checks apply (a child of an index is refused there too). An image whose tags changed since
 * it was evaluated is left for the next run. {@code transition} verdicts are not carried out: Wharf has no archive
 * storage class yet; previews still report them.
 */
public final class LifecycleRunner {
    private static final System.Logger LOG = System.getLogger("io.wharf.lifecycle");

    private final MetadataStore meta;
    private final Repositories repositories;
    private final ImageService images;
    private final Clock clock;

    LifecycleRunner(MetadataStore meta, Repositories repositories, ImageService images, Clock clock) {
        this.meta = meta;
        this.repositories = repositories;
        this.images = images;
        this.clock = clock;
    }

    /** What one run did to one repository. */
    public record Report(RepoKey repository, Instant evaluatedAt, int images, int expired, int skipped) {}

    /** What one pass over all repositories did; {@code failed} counts repositories whose run threw. */
    public record Summary(List<Report> reports, int failed) {
        public int expired() {
            return reports.stream().mapToInt(Report::expired).sum();
        }
    }

    /** Runs every repository that has a lifecycle policy; one repository's failure does not stop the others. */
    public Summary runOnce() {
        List<Report> reports = new ArrayList<>();
        int failed = 0;
        for (Repository repo : meta.repositoriesWithDocument(DocumentKind.LIFECYCLE_POLICY)) {
            RepoKey key = new RepoKey(repo.account(), repo.name());
            try {
                run(key).ifPresent(reports::add);
            } catch (RuntimeException e) {
                failed++;
                LOG.log(Level.WARNING, "lifecycle: the run of " + repo.account() + "/" + key + " failed", e);
            }
        }
        return new Summary(reports, failed);
    }

    /** Runs the repository's policy now; empty when it has none. */
    public Optional<Report> run(RepoKey key) {
        Repository repo = repositories.require(key);
        Optional<StoredDocument> policyDoc = meta.repositoryDocument(repo.id(), DocumentKind.LIFECYCLE_POLICY);
        if (policyDoc.isEmpty()) {
            return Optional.empty();
        }
        LifecyclePolicy policy = LifecycleService.parseStored(policyDoc.get().text());
        Instant now = clock.instant();
        LifecycleSelection.Selected selected = LifecycleSelection.select(meta, repo, policy, now);
        int expired = 0;
        int skipped = 0;
        for (Verdict verdict : selected.verdicts()) {
            if (verdict.action() == ActionType.EXPIRE && expire(key, selected.images().get(verdict.digest()), verdict)) {
                expired++;
            } else {
                skipped++;
            }
        }
        meta.putRepositoryDocument(repo.id(), DocumentKind.LIFECYCLE_EVALUATION, policy.json(), now);
        Report report = new Report(key, now, selected.images().size(), expired, skipped);
        LOG.log(Level.INFO, "lifecycle: {0}/{1}: {2} images evaluated, {3} expired, {4} left", key.account(), key,
                report.images(), expired, skipped);
        return Optional.of(report);
    }

    /** Expires the image (ImageService.expire: re-checked and deleted in one unit of work, with its event). */
    private boolean expire(RepoKey key, ImageFacts image, Verdict verdict) {
        Digest digest = Digest.parse(image.digest());
        List<Tag> tags = image.tags().stream().map(Tag::new).toList();
        Optional<String> refused = images.expire(key, digest, tags, verdict.rulePriority());
        refused.ifPresent(reason -> LOG.log(Level.INFO, "lifecycle: {0}/{1}: {2} not expired: {3}", key.account(), key,
                digest, reason));
        return refused.isEmpty();
    }
}
