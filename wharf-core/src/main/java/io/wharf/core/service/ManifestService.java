package io.wharf.core.service;

import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.ManifestBlobUnknownException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Pushing, pulling and deleting manifests and tags; the referrers index. */
public final class ManifestService {
    private final MetadataStore meta;
    private final Repositories repositories;
    private final RegistryLimits limits;
    private final Clock clock;

    ManifestService(MetadataStore meta, Repositories repositories, RegistryLimits limits, Clock clock) {
        this.meta = meta;
        this.repositories = repositories;
        this.limits = limits;
        this.clock = clock;
    }

    /** What a push stored: the digest to report, and the subject to echo in {@code OCI-Subject}. */
    public record PushResult(Digest digest, Digest subject) {
    }

    /**
     * Validates and stores a manifest. Every blob and child manifest it references must already be in
     * the repository, so a tag can never point at missing content.
     */
    public PushResult put(RepoKey key, Reference reference, String contentType, byte[] content) {
        if (content.length > limits.maxManifestBytes()) {
            throw new TooLargeException("manifest exceeds the limit of " + limits.maxManifestBytes() + " bytes", null);
        }
        Manifest manifest = ManifestParser.parse(contentType, content);
        Digest digest = manifest.digest();
        if (reference instanceof Reference.ByDigest(Digest claimed)) {
            digest = verifyClaimed(claimed, content);
        }
        Repository repo = repositories.forWrite(key);
        requireReferencesPresent(repo, manifest);
        Tag tag = reference instanceof Reference.ByTag(Tag t) ? t : null;
        Manifest stored = digest.equals(manifest.digest()) ? manifest : withDigest(manifest, digest);
        meta.putManifest(repo.id(), stored, tag, clock.instant());
        return new PushResult(digest, manifest.subject() == null ? null : manifest.subject().digest());
    }

    /** The manifest a tag or digest names. */
    public StoredManifest get(RepoKey key, Reference reference) {
        Repository repo = repositories.require(key);
        Digest digest = resolve(repo, reference);
        return meta.findManifest(repo.id(), digest).orElseThrow(() -> unknown(reference));
    }

    /** By digest: deletes the manifest and its tags. By tag: deletes only the tag. */
    public void delete(RepoKey key, Reference reference) {
        Repository repo = repositories.require(key);
        boolean deleted = switch (reference) {
            case Reference.ByTag(Tag tag) -> meta.deleteTag(repo.id(), tag);
            case Reference.ByDigest(Digest digest) -> meta.deleteManifest(repo.id(), digest);
        };
        if (!deleted) {
            throw unknown(reference);
        }
    }

    /** Manifests whose subject is {@code subject}, optionally only those of one artifact type. */
    public List<Descriptor> referrers(RepoKey key, Digest subject, String artifactType) {
        var repo = meta.findRepository(key.account(), key.name());
        if (repo.isEmpty()) {
            return List.of(); // the spec answers 200 with an empty index for anything without referrers
        }
        return meta.referrers(repo.get().id(), subject).stream()
                .map(ManifestService::asReferrer)
                .filter(d -> artifactType == null || artifactType.equals(d.artifactType()))
                .toList();
    }

    private static Descriptor asReferrer(StoredManifest m) {
        Manifest parsed = ManifestParser.parse(m.mediaType(), m.content());
        return new Descriptor(m.mediaType(), m.digest(), m.size(), parsed.effectiveArtifactType(),
                parsed.annotations(), null);
    }

    private Digest resolve(Repository repo, Reference reference) {
        return switch (reference) {
            case Reference.ByDigest(Digest digest) -> digest;
            case Reference.ByTag(Tag tag) -> meta.resolveTag(repo.id(), tag).orElseThrow(() -> unknown(reference));
        };
    }

    private void requireReferencesPresent(Repository repo, Manifest manifest) {
        List<Digest> blobs = manifest.blobs().stream().filter(d -> !d.isExternal()).map(Descriptor::digest).toList();
        Set<Digest> missing = meta.missingBlobs(repo.id(), blobs);
        if (missing.isEmpty()) {
            missing = meta.missingManifests(repo.id(), manifest.manifests().stream().map(Descriptor::digest).toList());
        }
        if (!missing.isEmpty()) {
            throw new ManifestBlobUnknownException("manifest references content unknown to the repository",
                    missing.iterator().next().toString());
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

    private static ManifestUnknownException unknown(Reference reference) {
        return new ManifestUnknownException("manifest unknown to registry", reference.toString());
    }
}
