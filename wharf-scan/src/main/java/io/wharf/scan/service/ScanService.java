package io.wharf.scan.service;

import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.ScanNotFoundException;
import io.wharf.core.error.UnsupportedImageTypeException;
import io.wharf.core.model.Digest;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.ScanIndex;
import io.wharf.core.spi.ScanIndex.RequestOutcome;
import io.wharf.core.spi.ScanIndex.ScanRecord;
import io.wharf.core.spi.ScanIndex.ScanRequest;
import io.wharf.core.spi.StoredDocument;
import io.wharf.core.spi.StoredManifest;
import io.wharf.scan.service.ScanCodec.PlatformFinding;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Scanning as the protocols see it (protocol-free): the registry's scanning configuration and what it means for
 * one repository, scan requests (manual, on push) and stored results. Running scans is {@link ScanRunner}'s.
 */
public final class ScanService {
    /** The event subscriber that calls {@link #requestOnPush} for every pushed image. */
    public static final String ON_PUSH_SUBSCRIBER = "scan-on-push";

    public static final String MANUAL = "MANUAL";
    public static final String ON_PUSH = "SCAN_ON_PUSH";

    private final Registry registry;
    private final ScanSettings settings;
    private final Clock clock;

    public ScanService(Registry registry, ScanSettings settings, Clock clock) {
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
    }

    public ScanSettings settings() {
        return settings;
    }

    ScanIndex scans() {
        return registry.metadata().scans();
    }

    // ---- configuration

    public ScanningConfiguration registryConfiguration(String account) {
        return parsed(rulesDocument(account));
    }

    private Optional<StoredDocument> rulesDocument(String account) {
        return registry.repositories().accountDocument(account, DocumentKind.REGISTRY_SCANNING);
    }

    private static ScanningConfiguration parsed(Optional<StoredDocument> rules) {
        return rules.map(doc -> ScanningConfiguration.parse(doc.text())).orElse(ScanningConfiguration.DEFAULT);
    }

    /** Validates and stores the registry's configuration ({@link ConfigurationInvalidException} when it breaks a rule). */
    public ScanningConfiguration putRegistryConfiguration(String account, String scanType, List<ScanningConfiguration.Rule> rules) {
        ScanningConfiguration config = ScanningConfiguration.validated(scanType, rules);
        registry.repositories().putAccountDocument(account, DocumentKind.REGISTRY_SCANNING, config.toJson());
        return config;
    }

    /** The configuration in force for the repository (it must exist). */
    public ScanningConfiguration.Effective effective(RepoKey key) {
        Repository repo = registry.repositories().get(key);
        return effective(repo);
    }

    ScanningConfiguration.Effective effective(Repository repo) {
        return effective(repo, rulesDocument(repo.account()));
    }

    private static ScanningConfiguration.Effective effective(Repository repo, Optional<StoredDocument> rules) {
        return parsed(rules).forRepository(repo.name().value(), repo.settings().scanOnPush());
    }

    /** When what decides scan on push for the repository last changed: the registry's rules or the repository's flag. */
    private static Instant configuredAt(Repository repo, Optional<StoredDocument> rules) {
        Instant flag = repo.scanOnPushSince();
        return rules.map(StoredDocument::updatedAt).filter(flag::isBefore).orElse(flag);
    }

    // ---- requests

    /**
     * StartImageScan: queues a scan of the image (basic scanning only), counted against the image's
     * {@code scanning.manual-scans-per-day}. Returns the record as queued.
     */
    public ScanRecord startScan(RepoKey key, Digest digest) {
        Repository repo = registry.repositories().get(key);
        StoredManifest manifest = registry.metadata().findManifest(repo.id(), digest)
                .orElseThrow(() -> new ManifestUnknownException("The image with imageId {imageDigest:'" + digest
                        + "'} does not exist within the repository with name '" + key.name().value()
                        + "' in the registry with id '" + key.account() + "'", digest.toString()));
        ScanningConfiguration.Effective effective = effective(repo);
        if (ScanningConfiguration.ENHANCED.equals(effective.scanType())) {
            throw new ConfigurationInvalidException("This operation is not supported for registries with ENHANCED"
                    + " scanning: images are scanned on push and continuously", null);
        }
        requireScannable(manifest);
        ScanRequest request = new ScanRequest(effective.scanType(), MANUAL, effective.continuous(), settings.manualScansPerDay());
        RequestOutcome outcome = scans().requestScan(repo.id(), digest, request, clock.instant());
        if (outcome == RequestOutcome.QUOTA_EXCEEDED) {
            throw new LimitExceededException("The scan quota per image has been exceeded. Wait and try again.", digest.toString());
        }
        return scans().findScan(repo.id(), digest).orElseThrow();
    }

    static void requireScannable(StoredManifest manifest) {
        if (!ImageReader.scannable(manifest)) {
            throw new UnsupportedImageTypeException("The operation is not supported for this image type: "
                    + (manifest.artifactType() != null ? manifest.artifactType() : manifest.mediaType()), null);
        }
    }

    /**
     * Scan-on-push: queues a scan when the repository's configuration says so (a registry rule, or the deprecated
     * repository flag when the registry has no rules) and the manifest is a scannable image (not an SBOM, signature
     * or other artifact). False when nothing was queued. Idempotent: again, it finds the scan queued or done. The
     * outbox subscriber {@value #ON_PUSH_SUBSCRIBER} calls it for every pushed image, with the push's time: an image
     * pushed before the configuration last changed is not scanned, since what was in force at the push is not known
     * any more (as ECR, a configuration applies to the pushes after it, however late the event is handled).
     */
    public boolean requestOnPush(Repository repo, Digest digest, Instant pushedAt) {
        if (!settings.enabled()) {
            return false;
        }
        Optional<StoredDocument> rules = rulesDocument(repo.account()); // read once: the rules and their date
        ScanningConfiguration.Effective effective = effective(repo, rules);
        if (pushedAt.isBefore(configuredAt(repo, rules)) || !effective.scanOnPush()) {
            return false;
        }
        Optional<StoredManifest> manifest = registry.metadata().findManifest(repo.id(), digest);
        if (manifest.isEmpty() || !ImageReader.scannable(manifest.get())) {
            return false;
        }
        ScanRequest request = new ScanRequest(effective.scanType(), ON_PUSH, effective.continuous(), 0);
        return scans().requestScan(repo.id(), digest, request, clock.instant()) == RequestOutcome.QUEUED;
    }

    // ---- results

    /** A stored scan of the image; {@link ScanNotFoundException} when it was never scanned. */
    public ScanRecord scan(RepoKey key, Digest digest) {
        Repository repo = registry.repositories().get(key);
        if (registry.metadata().findManifest(repo.id(), digest).isEmpty()) {
            throw new ManifestUnknownException("The image with imageId {imageDigest:'" + digest
                    + "'} does not exist within the repository with name '" + key.name().value()
                    + "' in the registry with id '" + key.account() + "'", digest.toString());
        }
        return scans().findScan(repo.id(), digest).orElseThrow(() -> new ScanNotFoundException("Image scan does not exist"
                + " for the image with '{imageDigest:" + digest + "}' in the repository with name '"
                + key.name().value() + "' in the registry with id '" + key.account() + "'", digest.toString()));
    }

    /** The tags naming the image now. */
    public List<String> tags(RepoKey key, Digest digest) {
        return registry.metadata().findImage(registry.repositories().get(key).id(), digest)
                .map(i -> i.tags().stream().map(io.wharf.core.model.Tag::value).toList()).orElse(List.of());
    }

    /** The image's scan, when it has one (DescribeImages). */
    public Optional<ScanRecord> scanOf(RepoKey key, Digest digest) {
        return scans().findScan(registry.repositories().get(key).id(), digest);
    }

    /** The findings of the last finished scan (empty list while none finished). */
    public List<PlatformFinding> findings(ScanRecord scan) {
        return scans().findings(scan.repositoryId(), scan.digest()).map(ScanCodec::findings).orElse(List.of());
    }

    /** The stored inventory of an analysed image, for SBOM downloads. */
    public Optional<io.wharf.scan.model.ImageInventory> inventory(ScanRecord scan) {
        return scans().inventory(scan.repositoryId(), scan.digest()).map(ScanCodec::inventory);
    }
}
