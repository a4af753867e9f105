package io.wharf.core.service;

import io.wharf.core.error.ManifestDamagedException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ImageFailure.Code;
import io.wharf.core.service.ListingService.Page;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.ImageTagRef;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagStatus;
import io.wharf.core.spi.Transactions;
import io.wharf.core.spi.UnitOfWork;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images as the ECR API sees them: listings, descriptions, batch reads and batch deletes. */
public final class ImageService {
    private final Transactions tx;
    private final UnitOfWork meta;
    private final Repositories repositories;
    private final ManifestService manifests;
    private final Clock clock;

    ImageService(Transactions tx, UnitOfWork meta, Repositories repositories, ManifestService manifests, Clock clock) {
        this.tx = tx;
        this.clock = clock;
        this.meta = meta;
        this.repositories = repositories;
        this.manifests = manifests;
    }

    /** One entry per tag plus one per untagged image (ECR ListImages). */
    public Page<ImageTagRef> listIds(RepoKey key, TagStatus status, ImageTagRef after, int size) {
        Repository repo = repositories.require(key);
        return page(meta.listImageTags(repo.id(), status, after, size + 1), size);
    }

    /** One entry per image, in digest order (ECR DescribeImages without ids). */
    public Page<ImageDetail> describePage(RepoKey key, TagStatus status, Digest after, int size) {
        Repository repo = repositories.require(key);
        Page<ImageRecord> page = page(meta.listImages(repo.id(), status, after, size + 1), size);
        return new Page<>(page.items().stream().map(i -> detail(repo, i)).toList(), page.more());
    }

    /** The named images, each once; any missing one fails the whole call. */
    public List<ImageDetail> describe(RepoKey key, List<ImageQuery> queries, TagStatus status) {
        Repository repo = repositories.require(key);
        Map<Digest, ImageDetail> found = new LinkedHashMap<>();
        for (ImageQuery q : queries) {
            ImageRecord image = find(repo, q).orElseThrow(() -> notFound(key, q));
            found.putIfAbsent(image.manifest().digest(), detail(repo, image));
        }
        return found.values().stream().filter(d -> matches(status, d.image().tags().isEmpty())).toList();
    }

    /** Manifests of the named images whose media type the caller accepts (ECR never converts). */
    public Batch<FoundImage> batchGet(RepoKey key, List<ImageQuery> queries, Collection<String> acceptedMediaTypes) {
        Repository repo = repositories.require(key);
        List<FoundImage> found = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageQuery q : queries) {
            Optional<ImageFailure> mismatch = tagMismatch(meta, repo, q);
            Optional<ImageRecord> image = mismatch.isPresent() ? Optional.empty() : find(repo, q);
            if (mismatch.isPresent()) {
                failures.add(mismatch.get());
            } else if (image.isEmpty()) {
                failures.add(ImageFailure.of(q, Code.ImageNotFound, "Requested image not found"));
            } else if (!accepts(acceptedMediaTypes, image.get().manifest().mediaType())) {
                failures.add(ImageFailure.of(q, Code.ImageNotFound, "Requested image's media type '"
                        + image.get().manifest().mediaType() + "' is not among the accepted media types"));
            } else {
                pull(key, q, image.get()).ifPresentOrElse(found::add, () -> failures.add(ImageFailure.of(q,
                        Code.ImageNotFound, "Requested image's manifest is damaged in storage; push it again")));
            }
        }
        return new Batch<>(found, failures);
    }

    private Optional<FoundImage> pull(RepoKey key, ImageQuery q, ImageRecord image) {
        try {
            Digest digest = image.manifest().digest();
            return Optional.of(new FoundImage(manifests.pull(key, new Reference.ByDigest(digest)), q.tag()));
        } catch (ManifestDamagedException e) {
            return Optional.empty(); // one image's damage fails that image, not the batch
        }
    }

    /**
     * By tag: removes the tag, and the image with its last tag. By digest: removes the image with all
     * its tags, unless an index of the repository lists it. Returns what was removed, per (digest, tag).
     */
    public Batch<ImageTagRef> batchDelete(RepoKey key, List<ImageQuery> queries) {
        Repository repo = repositories.require(key);
        List<ImageTagRef> deleted = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageQuery q : queries) {
            // collected per attempt: a store may run a unit of work again (a database conflict), and only the
            // attempt that committed counts
            List<ImageTagRef> removed = new ArrayList<>();
            tx.inTransaction("delete an image", unit -> {
                removed.clear();
                return tagMismatch(unit, repo, q).or(() -> deleteOne(unit, repo, q, removed));
            }).ifPresent(failures::add);
            deleted.addAll(removed);
        }
        return new Batch<>(deleted, failures);
    }

    /**
     * A lifecycle expiry: deletes the image as BatchDeleteImage by digest would, in one unit of work that first
     * checks the image still has exactly the tags it was evaluated with (a push in between changes the verdict),
     * and emits {@link RegistryEvent.ImageExpired} with the delete. Empty when expired, else why not.
     */
    public Optional<String> expire(RepoKey key, Digest digest, List<Tag> evaluatedTags, int rulePriority) {
        Repository repo = repositories.require(key);
        return tx.inTransaction("expire an image", unit -> {
            Optional<ImageRecord> found = unit.findImage(repo.id(), digest);
            if (found.isEmpty() || !found.get().tags().equals(evaluatedTags)) {
                return Optional.of("deleted or retagged since it was evaluated");
            }
            if (!unit.parentsOf(repo.id(), digest).isEmpty()) {
                return Optional.of("referenced by a manifest list");
            }
            unit.deleteManifest(repo.id(), digest);
            unit.emit(new RegistryEvent.ImageExpired(repo.account(), repo.name(), digest, evaluatedTags, rulePriority),
                    clock.instant());
            return Optional.empty();
        });
    }

    /** Inside the unit of work of one query: what it checks is what it deletes. */
    private Optional<ImageFailure> deleteOne(UnitOfWork unit, Repository repo, ImageQuery q, List<ImageTagRef> deleted) {
        Optional<ImageRecord> found = find(unit, repo, q);
        if (found.isEmpty()) {
            return Optional.of(ImageFailure.of(q, Code.ImageNotFound, "Requested image not found"));
        }
        ImageRecord image = found.get();
        Digest digest = image.manifest().digest();
        boolean wholeImage = q.tag() == null || image.tags().equals(List.of(q.tag()));
        if (wholeImage && !unit.parentsOf(repo.id(), digest).isEmpty()) {
            if (q.tag() == null) {
                return Optional.of(ImageFailure.of(q, Code.ImageReferencedByManifestList,
                        "Requested image referenced by manifest list: " + unit.parentsOf(repo.id(), digest)));
            }
            wholeImage = false; // the child stays for its index; only the tag goes
        }
        if (wholeImage) {
            unit.deleteManifest(repo.id(), digest);
            unit.emit(new RegistryEvent.ImageDeleted(repo.account(), repo.name(), digest, image.tags()), clock.instant());
            image.tags().forEach(t -> deleted.add(new ImageTagRef(digest, t)));
            if (image.tags().isEmpty()) {
                deleted.add(new ImageTagRef(digest, null));
            }
        } else {
            unit.deleteTag(repo.id(), q.tag());
            unit.emit(new RegistryEvent.TagDeleted(repo.account(), repo.name(), q.tag(), digest), clock.instant());
            deleted.add(new ImageTagRef(digest, q.tag()));
        }
        return Optional.empty();
    }

    /** With both a digest and a tag, the tag must point at that digest. */
    private Optional<ImageFailure> tagMismatch(UnitOfWork unit, Repository repo, ImageQuery q) {
        if (q.digest() == null || q.tag() == null) {
            return Optional.empty();
        }
        Optional<Digest> target = unit.resolveTag(repo.id(), q.tag());
        if (target.isPresent() && !target.get().equals(q.digest())) {
            return Optional.of(ImageFailure.of(q, Code.ImageTagDoesNotMatchDigest,
                    "Invalid parameter: image tag does not match image digest"));
        }
        return Optional.empty();
    }

    private Optional<ImageRecord> find(Repository repo, ImageQuery q) {
        return find(meta, repo, q);
    }

    private static Optional<ImageRecord> find(UnitOfWork unit, Repository repo, ImageQuery q) {
        Optional<Digest> digest = q.tag() != null ? unit.resolveTag(repo.id(), q.tag()) : Optional.of(q.digest());
        if (digest.isPresent() && q.digest() != null && !digest.get().equals(q.digest())) {
            return Optional.empty();
        }
        return digest.flatMap(d -> unit.findImage(repo.id(), d));
    }

    ImageDetail detail(Repository repo, ImageRecord image) {
        StoredManifest m = image.manifest();
        if (!m.intact()) {
            return new ImageDetail(image, 0, null); // damaged bytes say nothing reliable about sizes
        }
        Manifest parsed = ManifestParser.parseStored(m.mediaType(), m.content());
        if (!parsed.manifests().isEmpty() || parsed.config() == null) {
            long largest = parsed.manifests().stream()
                    .mapToLong(child -> meta.findManifest(repo.id(), child.digest()).map(this::ownSize).orElse(0L))
                    .max().orElse(0);
            return new ImageDetail(image, largest, null);
        }
        return new ImageDetail(image, sum(parsed), parsed.config().mediaType());
    }

    private long ownSize(StoredManifest m) {
        return m.intact() ? sum(ManifestParser.parseStored(m.mediaType(), m.content())) : 0;
    }

    private static long sum(Manifest parsed) {
        return parsed.blobs().stream().mapToLong(Descriptor::size).sum();
    }

    private static boolean accepts(Collection<String> accepted, String mediaType) {
        return accepted == null || accepted.isEmpty() || accepted.contains(mediaType);
    }

    private static boolean matches(TagStatus status, boolean untagged) {
        return status == null || status == TagStatus.ANY || (status == TagStatus.UNTAGGED) == untagged;
    }

    private static <T> Page<T> page(List<T> fetched, int size) {
        return fetched.size() > size ? new Page<>(fetched.subList(0, size), true) : new Page<>(fetched, false);
    }

    private static ManifestUnknownException notFound(RepoKey key, ImageQuery q) {
        String id = (q.digest() == null ? "" : "imageDigest=" + q.digest()) + (q.digest() != null && q.tag() != null ? ", " : "")
                + (q.tag() == null ? "" : "imageTag=" + q.tag());
        return new ManifestUnknownException("The image with imageId {" + id + "} does not exist within the repository "
                + "with name '" + key.name() + "' in the registry with id '" + key.account() + "'", id);
    }
}
