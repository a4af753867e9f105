package io.wharf.core.signature;

import io.wharf.core.error.ImageNotTrustedException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Reference;
import io.wharf.core.service.BlobService;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredDocument;
import io.wharf.core.spi.StoredManifest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image's signatures, the repository's signature policy, and the policy's check on a pull. With no policy the
 * check is one cached document lookup. Signature artifacts themselves (cosign's tags, referrers) stay pullable, so
 * that clients can verify. An index child pulled by digest passes when an index of the repository that lists it
 * passes (clients pull the signed index by tag, then its children by digest).
 */
public final class SignatureService {
    private final MetadataStore meta;
    private final SignatureFinder finder;
    private final CosignCheck cosign;
    private final KeylessCheck keyless;
    private final NotationCheck notation;
    private final VerdictCache cache;
    private final SignatureVerifier verifier;
    private final Clock clock;
    private static final int MAX_PARSED = 256;
    private final java.util.Map<String, Parsed> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    /** A stored policy parsed, and the fingerprint of its text that cached verdicts are keyed by. */
    private record Parsed(SignaturePolicy policy, String fingerprint) {
    }

    public SignatureService(MetadataStore meta, BlobService blobs, SignatureVerifier verifier, Clock clock) {
        this.meta = meta;
        this.finder = new SignatureFinder(meta);
        this.cosign = new CosignCheck(blobs, verifier);
        this.keyless = new KeylessCheck(cosign, verifier.keyless().orElse(null));
        this.notation = new NotationCheck(blobs, clock);
        this.cache = new VerdictCache(clock);
        this.verifier = verifier;
        this.clock = clock;
    }

    public SignatureVerifier verifier() {
        return verifier;
    }

    /** The signatures found for an image of the repository. */
    public List<ImageSignature> signatures(RepoKey key, Digest image) {
        Repository repo = require(key);
        if (meta.findManifest(repo.id(), image).isEmpty()) {
            throw new ManifestUnknownException("manifest unknown to registry", image.toString());
        }
        return finder.find(repo.id(), image);
    }

    public Optional<SignaturePolicy> policy(RepoKey key) {
        return policy(require(key));
    }

    /** Replaces the repository's policy after checking every key parses. */
    public SignaturePolicy putPolicy(RepoKey key, String json) {
        SignaturePolicy policy = SignaturePolicy.parse(json, verifier);
        keyless.requireTrustedRoot(policy);
        if (!meta.putRepositoryDocument(require(key).id(), DocumentKind.SIGNATURE_POLICY, policy.toJson(), clock.instant())) {
            throw new NameUnknownException("repository name not known to registry", key.name().value());
        }
        return policy;
    }

    public SignaturePolicy deletePolicy(RepoKey key) {
        Repository repo = require(key);
        SignaturePolicy old = policy(repo).orElseThrow(() -> notFound(key));
        meta.deleteRepositoryDocument(repo.id(), DocumentKind.SIGNATURE_POLICY);
        return old;
    }

    /** Whether the repository has a signature policy: two cached lookups, as every manifest GET makes them. */
    public boolean enforced(RepoKey key) {
        return meta.findRepository(key.account(), key.name())
                .flatMap(r -> meta.repositoryDocument(r.id(), DocumentKind.SIGNATURE_POLICY)).isPresent();
    }

    /** Throws {@link ImageNotTrustedException} when the repository has a policy the pulled manifest does not pass. */
    public void checkPull(RepoKey key, Reference reference, StoredManifest pulled) {
        Optional<Repository> repo = meta.findRepository(key.account(), key.name());
        Optional<Parsed> policy = repo.flatMap(this::parsedPolicy);
        if (policy.isEmpty() || exempt(reference, pulled)) {
            return;
        }
        Verdict verdict = verdict(key, repo.get(), pulled.digest(), policy.get());
        if (!verdict.allowed() && !(reference instanceof Reference.ByDigest && signedParent(key, repo.get(), pulled, policy.get()))) {
            throw new ImageNotTrustedException("image " + pulled.digest() + " refused by the repository's signature"
                    + " policy: " + verdict.reason(), pulled.digest().toString());
        }
    }

    /** The policy's verdict on an image (for answers that show it); empty without a policy. */
    public Optional<Verdict> verdict(RepoKey key, Digest image) {
        Repository repo = require(key);
        return parsedPolicy(repo).map(p -> verdict(key, repo, image, p));
    }

    /** The first signature that passes, each signature's verdict cached; else why none does. */
    private Verdict verdict(RepoKey key, Repository repo, Digest image, Parsed policy) {
        List<ImageSignature> found = finder.find(repo.id(), image);
        List<Verdict> refusals = new ArrayList<>();
        for (ImageSignature s : found) {
            if (s.kind().isCosign() || s.kind() == SignatureKind.NOTATION) {
                Verdict v = cache.get(VerdictCache.key(image, s.artifact(), policy.fingerprint()),
                        () -> check(key, repo, image, s, policy.policy())).verdict();
                if (v.allowed()) {
                    return v;
                }
                refusals.add(v);
            }
        }
        return Verdicts.refused(found, refusals);
    }

    private Checked check(RepoKey key, Repository repo, Digest image, ImageSignature s, SignaturePolicy policy) {
        if (s.kind().isCosign()) {
            // a key's verdict, and a keyless one (checked at the log's time), does not change with time; a refusal
            // may come from a read that failed, so is not kept
            List<ImageSignature> one = List.of(s);
            Verdict v = keyless.verdict(key, image, one, policy, cosign.verdict(key, image, one, policy));
            return new Checked(v, v.allowed() ? Instant.MAX : Instant.MIN);
        }
        Optional<StoredManifest> m = meta.findManifest(repo.id(), image);
        return notation.check(key, new NotationCheck.Target(image, m.map(StoredManifest::mediaType).orElse(null),
                m.map(x -> (long) x.content().length).orElse(-1L)), s, policy);
    }

    private boolean signedParent(RepoKey key, Repository repo, StoredManifest child, Parsed policy) {
        return meta.parentsOf(repo.id(), child.digest()).stream()
                .anyMatch(parent -> verdict(key, repo, parent, policy).allowed());
    }

    private static boolean exempt(Reference reference, StoredManifest pulled) {
        return SignatureFinder.isSignatureArtifact(pulled, reference instanceof Reference.ByTag(var tag) ? tag : null);
    }

    private Optional<SignaturePolicy> policy(Repository repo) {
        return parsedPolicy(repo).map(Parsed::policy);
    }

    private Optional<Parsed> parsedPolicy(Repository repo) {
        return meta.repositoryDocument(repo.id(), DocumentKind.SIGNATURE_POLICY).map(StoredDocument::text)
                .map(this::parsed);
    }

    /** Policies parsed once per text: a pull must not parse PEM keys or certificates. */
    private Parsed parsed(String text) {
        if (parsed.size() > MAX_PARSED) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(text, t -> new Parsed(SignaturePolicy.parse(t, verifier), VerdictCache.fingerprint(t)));
    }

    private Repository require(RepoKey key) {
        return meta.findRepository(key.account(), key.name())
                .orElseThrow(() -> new NameUnknownException("repository name not known to registry", key.name().value()));
    }

    private static PolicyNotFoundException notFound(RepoKey key) {
        return new PolicyNotFoundException(PolicyNotFoundException.Kind.SIGNATURE_POLICY,
                "no signature policy is set for the repository", key.name().value());
    }
}
