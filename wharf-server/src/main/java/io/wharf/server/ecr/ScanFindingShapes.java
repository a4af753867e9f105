package io.wharf.server.ecr;

import io.wharf.core.spi.ScanIndex.ScanRecord;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.service.ScanCodec.PlatformFinding;
import io.wharf.scan.vuln.Cvss;
import io.wharf.scan.vuln.Finding;
import io.wharf.server.auth.EcrArns;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Findings in ECR's two wire shapes: basic {@code ImageScanFinding} and enhanced (Amazon Inspector's) {@code EnhancedImageScanFinding}. */
final class ScanFindingShapes {
    private ScanFindingShapes() {
    }

    record Attribute(String key, String value) {
    }

    record BasicFinding(String name, String description, String uri, String severity, List<Attribute> attributes) {
    }

    static BasicFinding basic(PlatformFinding pf) {
        Finding f = pf.finding();
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("package_version", f.pkg().pkg().version()));
        attributes.add(new Attribute("package_name", f.pkg().pkg().name()));
        cvss(f, "2").ifPresent(c -> {
            attributes.add(new Attribute("CVSS2_VECTOR", c.vector()));
            attributes.add(new Attribute("CVSS2_SCORE", score(c.baseScore())));
        });
        cvss(f, "3").ifPresent(c -> {
            attributes.add(new Attribute("CVSS3_VECTOR", c.vector()));
            attributes.add(new Attribute("CVSS3_SCORE", score(c.baseScore())));
        });
        return new BasicFinding(f.vulnerabilityId(), f.description(), f.sourceUrl(), f.severity().name(), attributes);
    }

    private static Optional<Cvss> cvss(Finding f, String major) {
        return f.cvss().stream().filter(c -> c.version() != null && c.version().startsWith(major)).findFirst();
    }

    private static String score(double s) {
        return String.valueOf(s);
    }

    /** Where the enhanced shape needs the image: the scan, its tags, when it was pushed, the registry's region. */
    record ImageContext(ScanRecord scan, List<String> tags, Instant pushedAt, String region) {
    }

    static Map<String, Object> enhanced(PlatformFinding pf, ImageContext image) {
        Finding f = pf.finding();
        Map<String, Object> out = new LinkedHashMap<>();
        String account = image.scan().account();
        out.put("awsAccountId", account);
        out.put("findingArn", "arn:aws:inspector2:" + image.region() + ":" + account + ":finding/" + findingId(image, pf));
        out.put("title", f.vulnerabilityId() + " - " + f.pkg().pkg().name());
        out.put("description", f.description() != null ? f.description() : f.title());
        out.put("type", "PACKAGE_VULNERABILITY");
        out.put("status", "ACTIVE");
        out.put("severity", f.severity().name());
        best(f).ifPresent(c -> out.put("score", c.baseScore()));
        out.put("fixAvailable", f.fixedInVersion() != null ? "YES" : "NO");
        out.put("exploitAvailable", "NO");
        Instant observed = image.scan().completedAt();
        out.put("firstObservedAt", observed);
        out.put("lastObservedAt", observed);
        out.put("updatedAt", observed);
        out.put("packageVulnerabilityDetails", details(f));
        out.put("remediation", Map.of("recommendation", Map.of("text", f.fixedInVersion() != null
                ? "Upgrade " + f.pkg().pkg().name() + " to version " + f.fixedInVersion() + " or later."
                : "None provided")));
        out.put("resources", List.of(resource(pf, image)));
        best(f).ifPresent(c -> out.put("scoreDetails", Map.of("cvss", cvssScore(c))));
        return out;
    }

    private static Map<String, Object> cvssScore(Cvss c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("score", c.baseScore());
        m.put("scoreSource", c.source());
        m.put("scoringVector", c.vector());
        m.put("version", c.version());
        m.put("adjustments", List.of());
        return m;
    }

    /** The newest CVSS version's rating: what Inspector scores a finding by. */
    private static Optional<Cvss> best(Finding f) {
        return f.cvss().stream().filter(c -> c.version() != null).max(Comparator.comparing(Cvss::version));
    }

    private static Map<String, Object> details(Finding f) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("vulnerabilityId", f.vulnerabilityId());
        d.put("source", f.source());
        d.put("sourceUrl", f.sourceUrl());
        d.put("vendorSeverity", f.vendorSeverity());
        d.put("vendorCreatedAt", f.published());
        d.put("vendorUpdatedAt", f.modified());
        d.put("referenceUrls", f.referenceUrls());
        d.put("relatedVulnerabilities", f.relatedIds());
        d.put("cvss", f.cvss().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("baseScore", c.baseScore());
            m.put("scoringVector", c.vector());
            m.put("source", c.source());
            m.put("version", c.version());
            return m;
        }).toList());
        d.put("vulnerablePackages", List.of(vulnerablePackage(f)));
        return d;
    }

    private static Map<String, Object> vulnerablePackage(Finding f) {
        FoundPackage found = f.pkg();
        var pkg = found.pkg();
        VersionParts v = VersionParts.of(pkg.manager(), pkg.version());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", pkg.name());
        p.put("version", v.version());
        if (v.release() != null) {
            p.put("release", v.release());
        }
        p.put("epoch", v.epoch());
        if (pkg.arch() != null) {
            p.put("arch", pkg.arch());
        }
        p.put("packageManager", pkg.manager().os() ? "OS" : pkg.manager().ecrName());
        p.put("filePath", pkg.filePath());
        p.put("sourceLayerHash", found.layerDigest() == null ? null : found.layerDigest().toString());
        if (f.fixedInVersion() != null) {
            p.put("fixedInVersion", f.fixedInVersion());
        }
        return p;
    }

    private static Map<String, Object> resource(PlatformFinding pf, ImageContext image) {
        ScanRecord scan = image.scan();
        Map<String, Object> container = new LinkedHashMap<>();
        String platform = pf.platform();
        if (platform != null && platform.indexOf('/') > 0) {
            container.put("architecture", platform.substring(platform.indexOf('/') + 1));
        }
        container.put("author", "");
        container.put("imageHash", scan.digest().toString());
        container.put("imageTags", image.tags());
        container.put("pushedAt", image.pushedAt());
        container.put("registry", scan.account());
        container.put("repositoryName", scan.repository().value());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", EcrArns.repository(image.region(), scan.account(), scan.repository().value()) + "/" + scan.digest());
        r.put("type", "AWS_ECR_CONTAINER_IMAGE");
        r.put("tags", Map.of());
        r.put("details", Map.of("awsEcrContainerImage", container));
        return r;
    }

    private static String findingId(ImageContext image, PlatformFinding pf) {
        Finding f = pf.finding();
        String seed = image.scan().digest() + "|" + f.vulnerabilityId() + "|" + f.pkg().pkg().key();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OS package version as Inspector splits it: {@code [epoch:]version[-release]}. */
    record VersionParts(int epoch, String version, String release) {
        static VersionParts of(PackageManager manager, String full) {
            if (!manager.os()) {
                return new VersionParts(0, full, null);
            }
            int epoch = 0;
            String rest = full;
            int colon = full.indexOf(':');
            if (colon > 0 && full.substring(0, colon).chars().allMatch(Character::isDigit)) {
                epoch = Integer.parseInt(full.substring(0, Math.min(colon, 9)));
                rest = full.substring(colon + 1);
            }
            int dash = rest.lastIndexOf('-');
            return dash > 0 ? new VersionParts(epoch, rest.substring(0, dash), rest.substring(dash + 1))
                    : new VersionParts(epoch, rest, null);
        }
    }
}
