package io.wharf.core.service;

import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.DigestMismatchException;
import io.wharf.core.error.ImageAlreadyExistsException;
import io.wharf.core.error.ImageTagImmutableException;
import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.ManifestBlobUnknownException;
import io.wharf.core.error.ManifestDamagedException;
import io.wharf.core.error.ManifestInvalidException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.error.ReferencedManifestUnknownException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagOutcome;
import io.wharf.core.spi.Transactions;
import io.wharf.core.spi.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Pushing, pulling and deleting manifests and tags; the referrers index. Both wire protocols push
 * through {@link #store}: references, quotas and tag immutability are checked in one place.
 */
public final class ManifestService {
    /** ECR refreshes an image's last recorded pull time at most about once a day. */
    static final Duration PULL_RECORD_INTERVAL = Duration.ofHours(24);
    private volatile boolean dailyPullEvents = true;

    private final Transactions tx;
    private final io.wharf.core.spi.ReplicationIndex replication;
    private final UnitOfWork meta;
    private final DomainIntegrity integrity;
    private final Repositories repositories;
    private final RegistryLimits limits;
    private final Quotas quotas;
    private final Clock clock;
    private final Damage.Listener damage;

    /** @param meta reads outside a unit of work (pulls, referrers); guarded writes go through {@code tx} */
    ManifestService(io.wharf.core.spi.MetadataStore tx, UnitOfWork meta, DomainIntegrity integrity, Repositories repositories,
                    RegistryLimits limits, Quotas quotas, Clock clock, Damage.Listener damage) {
        this.tx = tx;
        this.replication = tx.replication();
        this.meta = meta;
        this.integrity = integrity;
        this.repositories = repositories;
        this.limits = limits;
        this.quotas = quotas;
        this.clock = clock;
        this.damage = damage;
    }

    /** What a push stored: the digest to report, and the subject to echo in {@code OCI-Subject}. */
    public record PushResult(Digest digest, Digest subject) {
    }

    /**
     * Validates and stores a manifest. Every blob and child manifest it references must already be in
     * the repository, so a tag can never point at missing content.
     */
    public PushResult put(RepoKey key, Reference reference, String contentType, byte[] content) {
        requireSize(content);
        Manifest manifest = ManifestParser.parse(contentType, content);
        Digest digest = manifest.digest();
        if (reference instanceof Reference.ByDigest(Digest claimed)) {
            digest = verifyClaimed(claimed, content);
        }
        Tag tag = reference instanceof Reference.ByTag(Tag t) ? t : null;
        Manifest stored = digest.equals(manifest.digest()) ? manifest : withDigest(manifest, digest);
        tx.inTransaction("push a manifest", unit -> store(unit, repositories.forWrite(unit, key), stored, tag));
        return new PushResult(digest, manifest.subject() == null ? null : manifest.subject().digest());
    }

    /**
     * ECR PutImage: the repository must exist, a claimed digest must match, and a put that would
     * change nothing is refused (the registry API, by contrast, accepts identical re-pushes).
     *
     * @param mediaType the caller's imageManifestMediaType; required when the manifest names none
     */
    public StoredManifest putImage(RepoKey key, byte[] content, String mediaType, Tag tag, Digest claimed) {
        requireSize(content);
        repositories.require(key); // ECR answers a missing repository before anything about the manifest
        if (mediaType == null && !ManifestParser.declaresMediaType(content)) {
            throw new ParameterInvalidException("Invalid parameter at 'imageManifestMediaType' failed to satisfy "
                    + "constraint: 'required when the manifest has no mediaType'", null);
        }
        Manifest manifest = ManifestParser.parse(mediaType, content);
        if (claimed != null && !Digest.of(claimed.algorithm(), claimed.newMessageDigest().digest(content)).equals(claimed)) {
            throw new DigestMismatchException("Manifest digest '" + manifest.digest() + "' does not match the provided "
                    + "digest '" + claimed + "'", claimed.toString());
        }
        return tx.inTransaction("put an image", unit -> {
            Repository repo = Repositories.require(unit, key);
            Optional<ImageRecord> existing = unit.findImage(repo.id(), manifest.digest());
            boolean intact = existing.isPresent() && existing.get().manifest().intact(); // a damaged one is restored
            if (intact && (tag == null || existing.get().tags().contains(tag))) {
                throw alreadyExists(key, manifest.digest(), tag);
            }
            store(unit, repo, manifest, tag);
            return unit.findManifest(repo.id(), manifest.digest()).orElseThrow();
        });
    }

    /**
     * Whether {@link #pull} writes its once-a-day {@code ImagePulled} ({@code usage.pull-events: daily}, the default);
     * the pull time is recorded either way.
     */
    public void emitDailyPullEvents(boolean value) {
        this.dailyPullEvents = value;
    }

    /** The manifest a tag or digest names. */
    public StoredManifest get(RepoKey key, Reference reference) {
        Repository repo = repositories.require(key);
        return find(repo, reference);
    }

    /**
     * As {@link #get}, and records the pull (at most once per {@link #PULL_RECORD_INTERVAL}, so pulls stay reads).
     * The record is bookkeeping: a storage that cannot take it (full, failing; the store reports that itself)
     * never fails the pull.
     */
    public StoredManifest pull(RepoKey key, Reference reference) {
        Repository repo = repositories.require(key);
        StoredManifest m = find(repo, reference);
        Instant now = clock.instant();
        if (m.lastPulledAt() == null || m.lastPulledAt().isBefore(now.minus(PULL_RECORD_INTERVAL))) {
            try {
                tx.inTransaction("record a pull", unit -> {
                    unit.recordPull(repo.id(), m.digest(), now);
                    if (dailyPullEvents) {
                        unit.emit(new RegistryEvent.ImagePulled(repo.account(), repo.name(), m.digest()), now);
                    }
                    return null;
                });
            } catch (StorageFullException | StorageUnavailableException e) {
                // the pull time stays as it was; the next pull tries again
            }
        }
        return m;
    }

    /** By digest: deletes the manifest and its tags. By tag: deletes only the tag. One unit of work with its event. */
    public void delete(RepoKey key, Reference reference) {
        tx.inTransaction("delete a manifest", unit -> {
            Repository repo = Repositories.require(unit, key);
            Instant now = clock.instant();
            switch (reference) {
                case Reference.ByTag(Tag tag) -> {
                    Digest target = unit.resolveTag(repo.id(), tag).orElseThrow(() -> unknown(reference));
                    unit.deleteTag(repo.id(), tag);
                    unit.emit(new RegistryEvent.TagDeleted(repo.account(), repo.name(), tag, target), now);
                }
                case Reference.ByDigest(Digest digest) -> {
                    ImageRecord image = unit.findImage(repo.id(), digest).orElseThrow(() -> unknown(reference));
                    unit.deleteManifest(repo.id(), digest);
                    unit.emit(new RegistryEvent.ImageDeleted(repo.account(), repo.name(), digest, image.tags()), now);
                }
            }
            return null;
        });
    }

    /** Manifests whose subject is {@code subject}, optionally only those of one artifact type. */
    public List<Descriptor> referrers(RepoKey key, Digest subject, String artifactType) {
        var repo = meta.findRepository(key.account(), key.name());
        if (repo.isEmpty()) {
            return List.of(); // the spec answers 200 with an empty index for anything without referrers
        }
        return meta.referrers(repo.get().id(), subject).stream()
                .filter(m -> m.intact() || reportDamaged(repo.get(), m)) // listed only what can be served
                .map(ManifestService::asReferrer)
                .filter(d -> artifactType == null || artifactType.equals(d.artifactType()))
                .toList();
    }

    /**
     * The one write path of both APIs, inside the caller's unit of work: references present, quotas kept,
     * immutable tags not moved (with the repository's settings as the transaction sees them), then the write
     * and its events. Nothing is written before the last check.
     */
    private TagOutcome store(UnitOfWork unit, Repository repo, Manifest manifest, Tag tag) {
        requireReferencesPresent(unit, repo, manifest);
        Optional<ImageRecord> existing = unit.findImage(repo.id(), manifest.digest());
        requireRoom(unit, repo, manifest, tag, existing);
        Digest previous = tag == null ? null : unit.resolveTag(repo.id(), tag).orElse(null);
        boolean mayMove = tag == null || !repo.settings().tagMutability().isImmutable(tag.value());
        Instant now = clock.instant();
        TagOutcome outcome = unit.putManifest(repo.id(), manifest, tag, now, mayMove);
        if (outcome == TagOutcome.REPOSITORY_UNKNOWN) {
            throw Repositories.unknown(new RepoKey(repo.account(), repo.name()));
        }
        if (outcome == TagOutcome.REFUSED) {
            throw new ImageTagImmutableException("The image tag '" + tag + "' already exists in the '" + repo.name()
                    + "' repository and cannot be overwritten because the tag is immutable.", tag.value());
        }
        boolean tagChanged = outcome == TagOutcome.CREATED || outcome == TagOutcome.MOVED;
        String replicatedFrom = PushContext.REPLICATED_FROM.isBound() ? PushContext.REPLICATED_FROM.get() : null;
        if (replicatedFrom != null) { // in this transaction, so that no backfill ever sends it onward
            replication.markReplicatedIn(repo.id(), manifest.digest(), replicatedFrom, now);
        }
        if (existing.isEmpty() || tagChanged) { // an identical re-push changes nothing and says nothing
            unit.emit(new RegistryEvent.ImagePushed(repo.account(), repo.name(), manifest.digest(), manifest.mediaType(),
                    tag, replicatedFrom), now);
        }
        if (tagChanged) {
            unit.emit(new RegistryEvent.TagMoved(repo.account(), repo.name(), tag, manifest.digest(), previous), now);
        }
        return outcome;
    }

    private void requireRoom(UnitOfWork unit, Repository repo, Manifest manifest, Tag tag,
                             Optional<ImageRecord> existing) {
        if (existing.isEmpty() && unit.countImages(repo.id()) >= quotas.imagesPerRepository()) {
            throw new LimitExceededException("The maximum number of images (" + quotas.imagesPerRepository()
                    + ") in the repository '" + repo.name() + "' has been reached", repo.name().value());
        }
        List<Tag> tags = existing.map(ImageRecord::tags).orElse(List.of());
        if (tag != null && !tags.contains(tag) && tags.size() >= quotas.tagsPerImage()) {
            throw new LimitExceededException("The maximum number of tags (" + quotas.tagsPerImage()
                    + ") per image has been reached for image '" + manifest.digest() + "'", manifest.digest().toString());
        }
    }

    private void requireSize(byte[] content) {
        if (content.length > limits.maxManifestBytes()) {
            throw new TooLargeException("manifest exceeds the limit of " + limits.maxManifestBytes() + " bytes", null);
        }
    }

    private static Descriptor asReferrer(StoredManifest m) {
        Manifest parsed = ManifestParser.parseStored(m.mediaType(), m.content());
        return new Descriptor(m.mediaType(), m.digest(), m.size(), parsed.effectiveArtifactType(),
                parsed.annotations(), null);
    }

    /** A stored manifest, only if its bytes are still those its digest names. */
    private StoredManifest find(Repository repo, Reference reference) {
        StoredManifest m = meta.findManifest(repo.id(), resolve(repo, reference)).orElseThrow(() -> unknown(reference));
        if (!m.intact()) {
            reportDamaged(repo, m);
            throw new ManifestDamagedException("manifest is damaged in storage; push it again", m.digest().toString());
        }
        return m;
    }

    private boolean reportDamaged(Repository repo, StoredManifest m) {
        damage.damaged(new Damage("manifest", m.digest(), repo.name().value(),
                "stored bytes do not hash to the digest; not served until it is pushed again"));
        return false;
    }

    private Digest resolve(Repository repo, Reference reference) {
        return switch (reference) {
            case Reference.ByDigest(Digest digest) -> digest;
            case Reference.ByTag(Tag tag) -> meta.resolveTag(repo.id(), tag).orElseThrow(() -> unknown(reference));
        };
    }

    /** In the repository by metadata, and for blobs, with their bytes stored. */
    private void requireReferencesPresent(UnitOfWork unit, Repository repo, Manifest manifest) {
        List<Digest> blobs = manifest.blobs().stream().filter(d -> !d.isExternal()).map(Descriptor::digest).toList();
        Set<Digest> missing = new LinkedHashSet<>(unit.missingBlobs(repo.id(), blobs));
        for (Digest d : blobs) {
            OptionalLong size = missing.contains(d) ? OptionalLong.empty() : unit.linkedBlobSize(repo.id(), d);
            if (size.isPresent() && !integrity.of(repo).isStored(d, size.getAsLong())) {
                missing.add(d);
            }
        }
        if (!missing.isEmpty()) {
            throw new ManifestBlobUnknownException("manifest references content unknown to the repository",
                    missing.iterator().next().toString());
        }
        missing = unit.missingManifests(repo.id(), manifest.manifests().stream().map(Descriptor::digest).toList());
        if (!missing.isEmpty()) {
            throw new ReferencedManifestUnknownException("manifest references content unknown to the repository",
                    missing.iterator().next().toString());
        }
        requireSizesMatch(unit, repo, manifest);
    }

    /** A descriptor's size is what a client will read (and verify) exactly: it must be the stored content's. */
    private void requireSizesMatch(UnitOfWork unit, Repository repo, Manifest manifest) {
        for (Descriptor d : manifest.blobs()) {
            if (!d.isExternal()) {
                requireSizeMatches(d, unit.linkedBlobSize(repo.id(), d.digest()).orElse(d.size()));
            }
        }
        for (Descriptor d : manifest.manifests()) {
            requireSizeMatches(d, unit.findManifest(repo.id(), d.digest()).map(StoredManifest::size).orElse(d.size()));
        }
    }

    private static void requireSizeMatches(Descriptor d, long actual) {
        if (d.size() != actual) {
            throw new ManifestInvalidException("descriptor size " + d.size() + " does not match the size " + actual
                    + " of " + d.digest(), d.digest().toString());
        }
    }

    private static Digest verifyClaimed(Digest claimed, byte[] content) {
        Digest actual = Digest.of(claimed.algorithm(), claimed.newMessageDigest().digest(content));
        if (!actual.equals(claimed)) {
            throw new DigestInvalidException("manifest digest does not match its content", claimed.toString());
        }
        return actual;
    }

    private static Manifest withDigest(Manifest m, Digest digest) {
        return new Manifest(m.mediaType(), digest, m.content(), m.artifactType(), m.config(), m.blobs(),
                m.manifests(), m.subject(), m.annotations());
    }

    private static ImageAlreadyExistsException alreadyExists(RepoKey key, Digest digest, Tag tag) {
        return new ImageAlreadyExistsException("Image with digest '" + digest + "'"
                + (tag == null ? "" : " and tag '" + tag + "'") + " already exists in the repository with name '"
                + key.name() + "' in registry with id '" + key.account() + "'", digest.toString());
    }

    static ManifestUnknownException unknown(Reference reference) {
        return new ManifestUnknownException("manifest unknown to registry", reference.toString());
    }
}
