package io.wharf.core.signature;

import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.model.Digest;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredDocument;
import io.wharf.core.spi.StoredManifest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * ECR's managed signing, with keys Wharf holds: the registry's signing configuration, signing pushed images in
 * cosign's format ({@link CosignWriter}: the tag scheme, or a referrer when the {@code .sig} tag is immutable and
 * taken), and each image's status per profile. The status is read from the signatures themselves, in either form:
 * COMPLETE when the profile's signature is there and verifies with its key, FAILED when it is there and does not or
 * when writing it failed ({@link SigningFailures}), IN_PROGRESS while it is not there yet.
 * An image first pushed before the configuration was last put, with neither a signature nor a failure, has no status
 * for the profile: nothing signs it until it is pushed again (ECR does not sign images retroactively either), and
 * IN_PROGRESS would never end.
 */
public final class SigningService {
    private final Registry registry;
    private final ImageSigner signer;
    private final CosignCheck check;
    private final SignatureFinder finder;
    private final CosignWriter writer;
    private final SigningFailures failures;
    private final Clock clock;

    /** @param reference the image reference a payload names for a repository ({@code host/name}) */
    public SigningService(Registry registry, ImageSigner signer, SignatureVerifier verifier,
                          Function<Repository, String> reference, Clock clock) {
        this.registry = registry;
        this.signer = signer;
        this.check = new CosignCheck(registry.blobs(), verifier);
        this.finder = new SignatureFinder(registry.metadata());
        this.writer = new CosignWriter(registry, signer, reference);
        this.failures = new SigningFailures(registry.metadata(), clock);
        this.clock = clock;
    }

    public SigningConfiguration put(String account, SigningConfiguration configuration) {
        SigningConfiguration valid = configuration.validated();
        registry.metadata().putAccountDocument(account, DocumentKind.SIGNING_CONFIGURATION, valid.toJson(), clock.instant());
        return valid;
    }

    public SigningConfiguration get(String account) {
        return configuration(account).orElseThrow(() -> notFound(account));
    }

    public SigningConfiguration delete(String account) {
        SigningConfiguration old = get(account);
        registry.metadata().deleteAccountDocument(account, DocumentKind.SIGNING_CONFIGURATION);
        return old;
    }

    /**
     * The status of each profile whose rule covers the image's repository (none: the image is not signed by Wharf),
     * leaving out the profiles still waiting to sign an image pushed before the configuration was put.
     */
    public List<SigningStatus> statuses(RepoKey key, Digest image) {
        Repository repo = registry.metadata().findRepository(key.account(), key.name())
                .orElseThrow(() -> new NameUnknownException("repository name not known to registry", key.name().value()));
        StoredManifest manifest = registry.metadata().findManifest(repo.id(), image)
                .orElseThrow(() -> new ManifestUnknownException("manifest unknown to registry", image.toString()));
        Optional<StoredDocument> document = configurationDocument(key.account());
        if (document.isEmpty()) {
            return List.of();
        }
        List<SignatureLayer> layers = wharfLayers(repo, image);
        Optional<SigningFailures.Failure> failure = failures.find(repo.id(), image);
        boolean pushedBefore = manifest.pushedAt().isBefore(document.get().updatedAt());
        return SigningConfiguration.fromJson(document.get().text()).rulesFor(key.name()).stream()
                .map(SigningConfiguration.Rule::signingProfileArn).distinct()
                .map(profile -> status(key, image, profile, layers)).map(s -> failedWriting(s, failure))
                .filter(s -> !(pushedBefore && s.status() == SigningStatus.State.IN_PROGRESS)).toList();
    }

    /** A profile's signature that is not there because writing it failed: FAILED with why. */
    private static SigningStatus failedWriting(SigningStatus s, Optional<SigningFailures.Failure> failure) {
        return s.status() != SigningStatus.State.IN_PROGRESS ? s
                : failure.filter(f -> f.profiles().contains(s.signingProfileArn()))
                .map(f -> new SigningStatus(s.signingProfileArn(), SigningStatus.State.FAILED, f.code(), f.reason()))
                .orElse(s);
    }

    /**
     * Signs a pushed image with every profile whose rule covers its repository; signature artifacts are not signed,
     * nor a push made before the configuration was put, however late its event is handled (that image has no status:
     * see {@link #statuses}). A failure is recorded for the image's status (FAILED with the domain's reason) and
     * thrown on.
     *
     * @param pushedAt when the push was made (its event's time)
     */
    public void signPushed(Repository repo, Digest image, Instant pushedAt) {
        Optional<StoredManifest> m = registry.metadata().findManifest(repo.id(), image);
        List<String> profiles = configurationDocument(repo.account())
                .filter(d -> !pushedAt.isBefore(d.updatedAt())).map(StoredDocument::text)
                .map(SigningConfiguration::fromJson).map(c -> c.rulesFor(repo.name())).orElse(List.of())
                .stream().map(SigningConfiguration.Rule::signingProfileArn).distinct().toList();
        if (m.isEmpty() || profiles.isEmpty() || SignatureFinder.isSignatureArtifact(m.get())) {
            return;
        }
        RepoKey key = new RepoKey(repo.account(), repo.name());
        List<SignatureLayer> layers = wharfLayers(repo, image);
        List<String> missing = profiles.stream()
                .filter(p -> status(key, image, p, layers).status() != SigningStatus.State.COMPLETE).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            writer.sign(repo, m.get(), missing);
        } catch (RuntimeException e) {
            try {
                failures.record(repo.id(), image, SigningFailures.of(missing, e));
            } catch (RuntimeException notRecorded) {
                e.addSuppressed(notRecorded);
            }
            throw e;
        }
        failures.clear(repo.id(), image);
    }

    /** The profile's public key (PEM armour is the adapter's business). */
    public java.security.PublicKey publicKey(String profileArn) {
        return signer.publicKey(profileArn);
    }

    private SigningStatus status(RepoKey key, Digest image, String profile, List<SignatureLayer> layers) {
        List<SignatureLayer> mine = layers.stream().filter(l -> profile.equals(l.profile())).toList();
        if (mine.isEmpty()) {
            return new SigningStatus(profile, SigningStatus.State.IN_PROGRESS, null, null);
        }
        boolean valid = mine.stream().anyMatch(l -> check.payload(key, l)
                .filter(p -> SimpleSigning.manifestDigest(p).filter(image::equals).isPresent())
                .filter(p -> check.verifies(signer.publicKey(profile), p, l.signature())).isPresent());
        return valid ? new SigningStatus(profile, SigningStatus.State.COMPLETE, null, null)
                : new SigningStatus(profile, SigningStatus.State.FAILED, "SignatureInvalid",
                "the profile's signature does not verify with the profile's key for this image");
    }

    /** The layers naming a profile in the image's cosign signatures, tag scheme and referrers alike. */
    private List<SignatureLayer> wharfLayers(Repository repo, Digest image) {
        return finder.find(repo.id(), image).stream().filter(s -> s.kind().isCosign())
                .flatMap(s -> s.layers().stream()).filter(l -> l.profile() != null && l.signature() != null).toList();
    }

    private Optional<SigningConfiguration> configuration(String account) {
        return configurationDocument(account).map(StoredDocument::text).map(SigningConfiguration::fromJson);
    }

    private Optional<StoredDocument> configurationDocument(String account) {
        return registry.metadata().accountDocument(account, DocumentKind.SIGNING_CONFIGURATION);
    }

    private static PolicyNotFoundException notFound(String account) {
        return new PolicyNotFoundException(PolicyNotFoundException.Kind.SIGNING_CONFIGURATION,
                "Signing configuration not found for registry " + account, account);
    }
}
