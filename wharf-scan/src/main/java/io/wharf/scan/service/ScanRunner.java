package io.wharf.scan.service;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.AdvisoryIndex.AdvisoryState;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.ScanIndex;
import io.wharf.core.spi.ScanIndex.ScanRecord;
import io.wharf.core.spi.ScanIndex.ScanRequest;
import io.wharf.core.spi.ScanIndex.ScanResult;
import io.wharf.core.spi.ScanIndex.Status;
import io.wharf.core.spi.StoredManifest;
import io.wharf.scan.layer.AnalysisException;
import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.ImageAnalyzer;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.service.ScanCodec.PlatformFinding;
import io.wharf.scan.vuln.Finding;
import io.wharf.scan.vuln.VulnerabilityMatcher;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scans: claims pending ones (and ones whose claim expired), analyses the image (each platform of an
 * index), matches, stores the result with its {@code ImageScanned} event in one transaction, then pushes the
 * SBOM; and re-matches continuous images from their stored inventories when the advisories changed.
 */
public final class ScanRunner {
    public static final String COMPLETE = "The scan was completed successfully.";
    public static final String ACTIVE = "Continuous scan is selected for image.";
    public static final String UNSUPPORTED_OS = "UnsupportedImageError: The operating system and/or package manager are not supported.";
    private static final Logger LOG = LoggerFactory.getLogger(ScanRunner.class);

    /** What analysing one manifest gave. {@code inventory} null when nothing was analysed (an index, a failure). */
    record Outcome(Status status, String description, ImageInventory inventory, List<PlatformFinding> findings,
                   AdvisoryState advisories) {
    }

    private final Registry registry;
    private final ScanService service;
    private final ImageAnalyzer analyzer;
    private final VulnerabilityMatcher matcher;
    private final ImageReader reader;
    private final SbomPublisher sboms;
    private final String owner;
    private final Clock clock;

    public ScanRunner(Registry registry, ScanService service, List<Cataloger> catalogers, String owner, Clock clock) {
        this.registry = registry;
        this.service = service;
        ScanSettings s = service.settings();
        this.analyzer = new ImageAnalyzer(catalogers, new ScanLayerCache(registry.metadata().scans(), clock),
                new ImageAnalyzer.Limits(s.maxFileBytes(), s.maxImageBytes(), s.maxLayerBytes()));
        this.matcher = new VulnerabilityMatcher(registry.metadata().advisories());
        this.reader = new ImageReader(registry.blobs());
        this.sboms = new SbomPublisher(registry, clock);
        this.owner = owner;
        this.clock = clock;
    }

    private MetadataStore meta() {
        return registry.metadata();
    }

    private ScanIndex scans() {
        return meta().scans();
    }

    /** Claims and runs up to the batch size of waiting scans; returns how many this node ran (none while scanning is off). */
    public int runPending(BooleanSupplier cancelled) {
        if (!service.settings().enabled()) {
            return 0;
        }
        int ran = 0;
        for (ScanRecord candidate : scans().claimable(clock.instant(), service.settings().batchSize())) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            Instant now = clock.instant();
            var claimed = scans().claimScan(candidate.repositoryId(), candidate.digest(), owner, now,
                    now.plus(service.settings().claimLease()));
            if (claimed.isPresent()) {
                run(claimed.get());
                ran++;
            }
        }
        return ran;
    }

    /** Runs a scan this node claimed. Never throws for the image's sake: every failure ends as FAILED. */
    void run(ScanRecord scan) {
        if (scan.attempts() > service.settings().maxAttempts()) {
            finish(scan, new Outcome(Status.FAILED, "The scan was abandoned after " + (scan.attempts() - 1)
                    + " attempts that did not finish.", null, List.of(), null));
            return;
        }
        Outcome outcome;
        try {
            outcome = analyse(scan, meta().findManifest(scan.repositoryId(), scan.digest()).orElse(null), null);
        } catch (RuntimeException | IOException e) {
            LOG.warn("scan of {}@{} failed", scan.repository(), scan.digest(), e);
            outcome = new Outcome(Status.FAILED, "The scan failed: " + e.getClass().getSimpleName(), null, List.of(), null);
        }
        finish(scan, outcome);
    }

    private Outcome analyse(ScanRecord scan, StoredManifest manifest, String platform) throws IOException {
        if (manifest == null) {
            return new Outcome(Status.FAILED, "The image is no longer in the repository.", null, List.of(), null);
        }
        if (!ImageReader.scannable(manifest)) {
            return new Outcome(Status.UNSUPPORTED_IMAGE, "UnsupportedImageError: The image type is not supported.",
                    null, List.of(), null);
        }
        if (ImageReader.isIndex(manifest)) {
            return analyseIndex(scan, manifest);
        }
        RepoKey key = new RepoKey(scan.account(), scan.repository());
        ImageInventory inventory;
        try {
            inventory = analyzer.analyze(reader.layers(key, ImageReader.parse(manifest)));
        } catch (AnalysisException e) {
            Status status = e.reason() == AnalysisException.Reason.TOO_LARGE ? Status.UNSUPPORTED_IMAGE : Status.FAILED;
            String prefix = status == Status.UNSUPPORTED_IMAGE ? "UnsupportedImageError: " : "The image could not be read: ";
            return new Outcome(status, prefix + e.getMessage(), null, List.of(), null);
        }
        boolean basic = ScanningConfiguration.BASIC.equals(scan.scanType());
        if (basic && inventory.os() == null) {
            return new Outcome(Status.UNSUPPORTED_IMAGE, UNSUPPORTED_OS, inventory, List.of(), null);
        }
        AdvisoryState state = meta().advisories().advisoryState();
        List<PlatformFinding> findings = matcher.match(inventory, basic).stream()
                .map(f -> new PlatformFinding(platform, f)).toList();
        return new Outcome(done(scan), done(scan) == Status.ACTIVE ? ACTIVE : COMPLETE, inventory, findings, state);
    }

    private static Status done(ScanRecord scan) {
        return scan.continuous() ? Status.ACTIVE : Status.COMPLETE;
    }

    /** Each platform is scanned as its own image (its own record); the index's result is theirs together. */
    private Outcome analyseIndex(ScanRecord scan, StoredManifest index) throws IOException {
        List<PlatformFinding> all = new ArrayList<>();
        AdvisoryState state = null;
        boolean any = false;
        for (ImageReader.Child child : ImageReader.children(ImageReader.parse(index))) {
            StoredManifest m = meta().findManifest(scan.repositoryId(), child.digest()).orElse(null);
            ScanRecord childScan = claimChild(scan, child.digest());
            Outcome o = analyse(childScan == null ? scan : childScan, m, child.platform());
            if (childScan != null) {
                finish(childScan, o);
            }
            if (o.status() == Status.COMPLETE || o.status() == Status.ACTIVE) {
                any = true;
                all.addAll(o.findings());
                state = o.advisories();
            }
        }
        if (!any) {
            return new Outcome(Status.UNSUPPORTED_IMAGE, "UnsupportedImageError: no platform of the index could be scanned.",
                    null, List.of(), null);
        }
        return new Outcome(done(scan), done(scan) == Status.ACTIVE ? ACTIVE : COMPLETE, null, all, state);
    }

    /** The child's own record, claimed by this node; null when another node is scanning it right now. */
    private ScanRecord claimChild(ScanRecord parent, Digest child) {
        Instant now = clock.instant();
        scans().requestScan(parent.repositoryId(), child,
                new ScanRequest(parent.scanType(), parent.trigger(), parent.continuous(), 0), now);
        return scans().claimScan(parent.repositoryId(), child, owner, now, now.plus(service.settings().claimLease()))
                .orElse(null);
    }

    /** Stores the outcome and its event in one transaction, then the SBOM. */
    private void finish(ScanRecord scan, Outcome o) {
        Instant now = clock.instant();
        ScanResult result = result(o);
        List<Tag> tags = meta().inTransaction("finish a scan", unit -> {
            if (!scans().finishScan(scan.repositoryId(), scan.digest(), owner, result, now)) {
                return null; // the claim was lost (taken over after its lease expired): the new owner reports
            }
            List<Tag> t = unit.findImage(scan.repositoryId(), scan.digest()).map(ImageRecord::tags).orElse(List.of());
            unit.emit(new RegistryEvent.ImageScanned(scan.account(), scan.repository(), scan.digest(), t,
                    o.status().name(), result.severityCounts()), now);
            return t;
        });
        if (tags != null && o.inventory() != null && o.status() != Status.FAILED && service.settings().sbom()) {
            meta().findManifest(scan.repositoryId(), scan.digest()).ifPresent(m -> sboms.publish(
                    new RepoKey(scan.account(), scan.repository()), m, o.inventory(), platformOf(o), tags));
        }
    }

    private static String platformOf(Outcome o) {
        return o.findings().isEmpty() ? null : o.findings().getFirst().platform();
    }

    private static ScanResult result(Outcome o) {
        long generation = o.advisories() == null ? 0 : o.advisories().generation();
        Instant updated = o.advisories() == null ? null : o.advisories().newestModified();
        byte[] inventory = o.inventory() == null ? null : ScanCodec.inventory(o.inventory());
        return new ScanResult(o.status(), o.description(), generation, updated, inventory,
                ScanCodec.findings(o.findings()), counts(o.findings()));
    }

    static Map<String, Integer> counts(List<PlatformFinding> findings) {
        Map<String, Integer> counts = new TreeMap<>();
        findings.forEach(f -> counts.merge(f.finding().severity().name(), 1, Integer::sum));
        return counts;
    }

    /**
     * Re-matches the stored inventories of continuous images matched against older advisories (ACTIVE); emits
     * {@code ImageScanned} when the findings changed. Returns how many images were re-matched.
     */
    public int rescanContinuous(BooleanSupplier cancelled) {
        if (!service.settings().enabled()) {
            return 0;
        }
        AdvisoryState state = meta().advisories().advisoryState();
        int done = 0;
        for (ScanRecord stale : scans().staleContinuous(state.generation(), service.settings().batchSize())) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            try {
                rematch(stale, state);
                done++;
            } catch (RuntimeException e) {
                LOG.warn("continuous rescan of {}@{} failed", stale.repository(), stale.digest(), e);
            }
        }
        return done;
    }

    private void rematch(ScanRecord stale, AdvisoryState state) {
        ImageInventory inventory = ScanCodec.inventory(scans().inventory(stale.repositoryId(), stale.digest()).orElseThrow());
        List<PlatformFinding> before = service.findings(stale);
        String platform = before.isEmpty() ? null : before.getFirst().platform();
        List<Finding> found = matcher.match(inventory, ScanningConfiguration.BASIC.equals(stale.scanType()));
        List<PlatformFinding> after = found.stream().map(f -> new PlatformFinding(platform, f)).toList();
        ScanResult result = new ScanResult(Status.ACTIVE, ACTIVE, state.generation(), state.newestModified(), null,
                ScanCodec.findings(after), counts(after));
        Instant now = clock.instant();
        meta().inTransaction("re-match a scan", unit -> {
            if (scans().replaceResult(stale.repositoryId(), stale.digest(), stale.version(), result, now)
                    && !after.equals(before)) {
                List<Tag> t = unit.findImage(stale.repositoryId(), stale.digest()).map(ImageRecord::tags).orElse(List.of());
                unit.emit(new RegistryEvent.ImageScanned(stale.account(), stale.repository(), stale.digest(), t,
                        Status.ACTIVE.name(), result.severityCounts()), now);
            }
            return null;
        });
    }
}
