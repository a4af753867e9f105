package io.wharf.server.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.ScanIndex;
import io.wharf.scan.vuln.OsvImport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.FindingSeverity;
import software.amazon.awssdk.services.ecr.model.ImageScanFinding;
import software.amazon.awssdk.services.ecr.model.RegistryScanningRule;
import software.amazon.awssdk.services.ecr.model.ScanFrequency;
import software.amazon.awssdk.services.ecr.model.ScanType;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilterType;

/**
 * Scans end to end against a started server, through the AWS SDK v2: images built here (a Debian root with a dpkg
 * status), OSV records imported with {@link OsvImport}, scan-on-push from a registry rule, the findings in both ECR
 * shapes, pagination, SBOM referrers, continuous re-matching after an import, and claims taken over after their
 * lease expired.
 */
class ScanFlowApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPO = "team/app";
    private static final String CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

    @TempDir
    Path data;
    @TempDir
    Path osv;
    private ScanServer s;

    @BeforeEach
    void start() throws Exception {
        s = new ScanServer(data, ScanServer.scanning(true));
        s.ecr.createRepository(b -> b.repositoryName(REPO));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    // ---- fixtures

    /** A Debian 12 OSV record: {@code name} affected from 0 until {@code fixed}. */
    private void advisory(String id, String name, String fixed, String vector) throws Exception {
        String severity = vector == null ? "" : ",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"" + vector + "\"}]";
        String record = "{\"schema_version\":\"1.6.0\",\"id\":\"DEBIAN-" + id + "\",\"aliases\":[\"" + id + "\"],"
                + "\"modified\":\"2026-01-0" + (1 + Math.abs(id.hashCode()) % 8) + "T00:00:00Z\",\"summary\":\"" + name + " flaw\","
                + "\"details\":\"A flaw in " + name + ".\",\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://security-tracker.debian.org/tracker/" + id + "\"}],"
                + "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"" + name + "\"},"
                + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"" + fixed + "\"}]}]}]"
                + severity + "}";
        Files.writeString(osv.resolve(id + ".json"), record);
    }

    private void importAdvisories() throws Exception {
        var results = OsvImport.importPath(s.backend.registry().metadata().advisories(), osv, Clock.systemUTC());
        assertThat(results).allSatisfy(r -> assertThat(r.failed()).as(String.valueOf(r.error())).isFalse());
    }

    private static RegistryScanningRule rule(ScanFrequency frequency) {
        return RegistryScanningRule.builder().scanFrequency(frequency).repositoryFilters(ScanningRepositoryFilter.builder()
                .filter("*").filterType(ScanningRepositoryFilterType.WILDCARD).build()).build();
    }

    private String pushDebian(String tag, Map<String, String> packages) throws Exception {
        return s.pushImage(REPO, tag, List.of(ScanServer.layer(ScanServer.debian(packages))));
    }

    /** The waiter's loop, faster: DescribeImageScanFindings until the status is one of {@code done}. */
    private DescribeImageScanFindingsResponse await(String digest, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                var res = s.ecr.describeImageScanFindings(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
                if (done.test(res.imageScanStatus().statusAsString())) {
                    return res;
                }
            } catch (EcrException e) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ScanNotFoundException"); // not queued yet
            }
            assertThat(System.nanoTime()).as("scan of " + digest + " finished in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    // ---- tests

    @Test
    void scanOnPushFindsTheVulnerablePackageAndDescribeImagesSummarisesIt() throws Exception {
        advisory("CVE-2024-0001", "openssl", "3.0.15-1~deb12u1", CRITICAL);
        advisory("CVE-2024-0002", "openssl", "3.0.1-1", CRITICAL); // fixed before the installed version
        advisory("CVE-2024-0003", "curl", "8.0.0-1", CRITICAL); // not installed
        importAdvisories();
        s.ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC).rules(rule(ScanFrequency.SCAN_ON_PUSH)));
        String digest = pushDebian("v1", Map.of("openssl", "3.0.11-1~deb12u2", "bash", "5.2.15-2+b2"));

        var res = await(digest, st -> !st.equals("IN_PROGRESS"));
        assertThat(res.imageScanStatus().statusAsString()).isEqualTo("COMPLETE");
        assertThat(res.imageScanStatus().description()).isEqualTo("The scan was completed successfully.");
        var findings = res.imageScanFindings();
        assertThat(findings.findings()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("CVE-2024-0001");
            assertThat(f.severity()).isEqualTo(FindingSeverity.CRITICAL);
            assertThat(f.uri()).isEqualTo("https://security-tracker.debian.org/tracker/CVE-2024-0001");
            Map<String, String> attributes = new LinkedHashMap<>();
            f.attributes().forEach(a -> attributes.put(a.key(), a.value()));
            assertThat(attributes).containsEntry("package_name", "openssl").containsEntry("package_version", "3.0.11-1~deb12u2")
                    .containsEntry("CVSS3_VECTOR", CRITICAL).containsEntry("CVSS3_SCORE", "9.8");
        });
        assertThat(findings.findingSeverityCountsAsStrings()).isEqualTo(Map.of("CRITICAL", 1));
        assertThat(findings.imageScanCompletedAt()).isNotNull();
        assertThat(findings.vulnerabilitySourceUpdatedAt()).isNotNull();
        assertThat(findings.enhancedFindings()).isEmpty();

        var scanned = s.backend.registry().metadata().eventsAfter(0, 1000).stream().map(e -> e.event())
                .filter(e -> e instanceof io.wharf.core.event.RegistryEvent.ImageScanned).toList();
        assertThat(scanned).singleElement().isInstanceOfSatisfying(io.wharf.core.event.RegistryEvent.ImageScanned.class, e -> {
            assertThat(e.digest().toString()).isEqualTo(digest);
            assertThat(e.status()).isEqualTo("COMPLETE");
            assertThat(e.severityCounts()).isEqualTo(Map.of("CRITICAL", 1));
            assertThat(e.tags()).extracting(t -> t.value()).containsExactly("v1");
        });
        var described = s.ecr.describeImages(b -> b.repositoryName(REPO).imageIds(i -> i.imageTag("v1"))).imageDetails().getFirst();
        assertThat(described.imageScanStatus().statusAsString()).isEqualTo("COMPLETE");
        assertThat(described.imageScanFindingsSummary().findingSeverityCountsAsStrings()).isEqualTo(Map.of("CRITICAL", 1));
    }

    @Test
    void theScanOnPushUsedTheDaysQuota() throws Exception {
        s.ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC).rules(rule(ScanFrequency.SCAN_ON_PUSH)));
        String digest = pushDebian("v1", Map.of("bash", "5.2.15-2+b2"));
        await(digest, st -> st.equals("COMPLETE"));
        try {
            s.ecr.startImageScan(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
            throw new AssertionError("a second scan within 24 hours was accepted");
        } catch (EcrException e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException");
        }
    }

    @Test
    void findingsArePaged() throws Exception {
        Map<String, String> packages = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            packages.put("pkg" + i, "1.0-1");
            advisory("CVE-2024-10" + i, "pkg" + i, "1.0-2", CRITICAL);
        }
        importAdvisories();
        String digest = pushDebian("v1", packages);
        s.ecr.startImageScan(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
        await(digest, st -> st.equals("COMPLETE"));
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            var page = s.ecr.describeImageScanFindings(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest))
                    .maxResults(2).nextToken(t));
            assertThat(page.imageScanFindings().findings().size()).isLessThanOrEqualTo(2);
            page.imageScanFindings().findings().forEach(f -> names.add(f.name()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactlyInAnyOrder("CVE-2024-100", "CVE-2024-101", "CVE-2024-102", "CVE-2024-103", "CVE-2024-104");
        try {
            s.ecr.describeImageScanFindings(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)).maxResults(1001));
            throw new AssertionError("maxResults 1001 accepted");
        } catch (EcrException e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
        }
    }

    @Test
    void anImageWithoutARecognisedOsIsUnsupportedForBasicScanning() throws Exception {
        String digest = s.pushImage(REPO, "v1", List.of(ScanServer.layer(Map.of("app/hello.txt", "hi"))));
        s.ecr.startImageScan(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
        var res = await(digest, st -> !st.equals("IN_PROGRESS"));
        assertThat(res.imageScanStatus().statusAsString()).isEqualTo("UNSUPPORTED_IMAGE");
        assertThat(res.imageScanStatus().description())
                .isEqualTo("UnsupportedImageError: The operating system and/or package manager are not supported.");
    }

    @Test
    void theSbomIsAReferrerOfTheImageAndDownloadable() throws Exception {
        String digest = pushDebian("v1", Map.of("openssl", "3.0.11-1~deb12u2"));
        s.ecr.startImageScan(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
        await(digest, st -> st.equals("COMPLETE"));
        JsonNode referrers = awaitReferrers(digest);
        JsonNode sbom = referrers.get("manifests").get(0);
        assertThat(sbom.get("artifactType").asText()).isEqualTo("application/vnd.cyclonedx+json");
        assertThat(sbom.get("annotations").get("io.wharf.sbom.generator").asText()).isEqualTo("wharf");
        JsonNode manifest = JSON.readTree(s.get("/v2/" + REPO + "/manifests/" + sbom.get("digest").asText()).body());
        assertThat(manifest.get("subject").get("digest").asText()).isEqualTo(digest);
        assertThat(manifest.get("config").get("mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
        var layer = s.get("/v2/" + REPO + "/blobs/" + manifest.get("layers").get(0).get("digest").asText());
        assertThat(layer.statusCode()).isEqualTo(200);
        String cdx = new String(layer.body(), StandardCharsets.UTF_8);
        assertThat(JSON.readTree(cdx).get("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(cdx).contains("pkg:deb/debian/openssl@3.0.11-1~deb12u2");
        try {
            s.ecr.startImageScan(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(sbom.get("digest").asText())));
            throw new AssertionError("the SBOM was accepted for scanning");
        } catch (EcrException e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnsupportedImageTypeException");
        }
    }

    private JsonNode awaitReferrers(String digest) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode index = JSON.readTree(s.get("/v2/" + REPO + "/referrers/" + digest).body());
            if (index.get("manifests").size() > 0 || System.nanoTime() > deadline) {
                assertThat(index.get("manifests")).hasSize(1);
                return index;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void theWharfApiWritesTheSbomInBothFormats() throws Exception {
        String digest = pushDebian("v1", Map.of("openssl", "3.0.11-1~deb12u2"));
        s.ecr.startImageScan(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
        await(digest, st -> st.equals("COMPLETE"));
        var cdx = s.get("/wharf/v1/repositories/" + REPO + "/sbom/" + digest);
        assertThat(cdx.statusCode()).isEqualTo(200);
        assertThat(cdx.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.cyclonedx+json");
        var spdx = s.get("/wharf/v1/repositories/" + REPO + "/sbom/" + digest + "?format=spdx");
        assertThat(spdx.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(spdx.body()).get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(s.get("/wharf/v1/repositories/" + REPO + "/sbom/" + digest + "?format=xml").statusCode()).isEqualTo(400);
        String unscanned = pushDebian("v2", Map.of("bash", "5.2.15-2+b2"));
        assertThat(s.get("/wharf/v1/repositories/" + REPO + "/sbom/" + unscanned).statusCode()).isEqualTo(404);
    }

    @Test
    void enhancedContinuousScanningHasInspectorsShapeAndReMatchesAfterAnImport() throws Exception {
        advisory("CVE-2024-0001", "openssl", "3.0.15-1~deb12u1", CRITICAL);
        importAdvisories();
        s.ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED).rules(rule(ScanFrequency.CONTINUOUS_SCAN)));
        byte[] layer = ScanServer.layer(ScanServer.debian(Map.of("openssl", "3.0.11-1~deb12u2", "zlib", "1:1.2.13.dfsg-1")));
        String digest = s.pushImage(REPO, "v1", List.of(layer));
        var res = await(digest, st -> st.equals("ACTIVE") || st.equals("FAILED"));
        assertThat(res.imageScanStatus().statusAsString()).isEqualTo("ACTIVE");
        assertThat(res.imageScanFindings().findings()).isEmpty();
        var finding = res.imageScanFindings().enhancedFindings().getFirst();
        assertThat(finding.type()).isEqualTo("PACKAGE_VULNERABILITY");
        assertThat(finding.severity()).isEqualTo("CRITICAL");
        assertThat(finding.score()).isEqualTo(9.8);
        assertThat(finding.findingArn()).startsWith("arn:aws:inspector2:us-east-1:" + s.config.account() + ":finding/");
        var details = finding.packageVulnerabilityDetails();
        assertThat(details.vulnerabilityId()).isEqualTo("CVE-2024-0001");
        var pkg = details.vulnerablePackages().getFirst();
        assertThat(pkg.name()).isEqualTo("openssl");
        assertThat(pkg.version()).isEqualTo("3.0.11");
        assertThat(pkg.release()).isEqualTo("1~deb12u2");
        assertThat(pkg.packageManager()).isEqualTo("OS");
        assertThat(pkg.sourceLayerHash()).isEqualTo(ScanServer.sha256(layer));
        assertThat(pkg.fixedInVersion()).isEqualTo("3.0.15-1~deb12u1");
        var container = finding.resources().getFirst().details().awsEcrContainerImage();
        assertThat(finding.resources().getFirst().type()).isEqualTo("AWS_ECR_CONTAINER_IMAGE");
        assertThat(container.imageHash()).isEqualTo(digest);
        assertThat(container.imageTags()).containsExactly("v1");
        assertThat(container.repositoryName()).isEqualTo(REPO);

        long generation = s.backend.registry().metadata().advisories().advisoryState().generation();
        advisory("CVE-2024-0009", "zlib", "1:1.3.dfsg-1", CRITICAL);
        importAdvisories();
        assertThat(s.backend.registry().metadata().advisories().advisoryState().generation()).isGreaterThan(generation);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (s.ecr.describeImageScanFindings(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)))
                .imageScanFindings().enhancedFindings().size() < 2) {
            assertThat(System.nanoTime()).as("re-matched in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        var after = s.ecr.describeImageScanFindings(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
        assertThat(after.imageScanStatus().statusAsString()).isEqualTo("ACTIVE");
        assertThat(after.imageScanFindings().findingSeverityCountsAsStrings()).isEqualTo(Map.of("CRITICAL", 2));
    }

    @Test
    void aClaimWhoseLeaseExpiredIsTakenOverAndFinished() throws Exception {
        String digest = pushDebian("v1", Map.of("bash", "5.2.15-2+b2"));
        ScanIndex scans = s.backend.registry().metadata().scans();
        long repo = s.backend.registry().metadata().findRepository(s.config.account(), new io.wharf.core.model.RepositoryName(REPO))
                .orElseThrow().id();
        Digest d = Digest.parse(digest);
        Instant now = Instant.now();
        // a node that claimed the scan and died: its lease runs out a moment later
        assertThat(scans.requestScan(repo, d, new ScanIndex.ScanRequest("BASIC", "MANUAL", false, 1), now))
                .isEqualTo(ScanIndex.RequestOutcome.QUEUED);
        assertThat(scans.claimScan(repo, d, "dead-node", now, now.plusMillis(300))).isPresent();
        var res = await(digest, st -> st.equals("COMPLETE") || st.equals("FAILED"));
        assertThat(res.imageScanStatus().statusAsString()).isEqualTo("COMPLETE");
        var record = scans.findScan(repo, d).orElseThrow();
        assertThat(record.attempts()).isEqualTo(2);
        assertThat(scans.finishScan(repo, d, "dead-node", new ScanIndex.ScanResult(ScanIndex.Status.FAILED, "late", 0, null,
                null, new byte[0], Map.of()), Instant.now())).as("the dead node's late result").isFalse();
    }

    @Test
    void aScanWhoseClaimsKeepExpiringEndsFailed() throws Exception {
        String digest = pushDebian("v1", Map.of("bash", "5.2.15-2+b2"));
        ScanIndex scans = s.backend.registry().metadata().scans();
        long repo = s.backend.registry().metadata().findRepository(s.config.account(), new io.wharf.core.model.RepositoryName(REPO))
                .orElseThrow().id();
        Digest d = Digest.parse(digest);
        Instant start = Instant.now().minusSeconds(100);
        scans.requestScan(repo, d, new ScanIndex.ScanRequest("BASIC", "MANUAL", false, 0), start);
        for (int i = 0; i < 3; i++) { // three nodes died holding it (scanning.max-attempts = 3)
            Instant at = start.plusSeconds(i * 10L);
            assertThat(scans.claimScan(repo, d, "dead-" + i, at, at.plusSeconds(1))).isPresent();
        }
        var res = await(digest, st -> st.equals("COMPLETE") || st.equals("FAILED"));
        assertThat(res.imageScanStatus().statusAsString()).isEqualTo("FAILED");
        assertThat(res.imageScanStatus().description()).contains("abandoned after 3 attempts");
    }

    @Test
    void anIndexIsScannedPlatformByPlatform() throws Exception {
        advisory("CVE-2024-0001", "openssl", "3.0.15-1~deb12u1", CRITICAL);
        importAdvisories();
        String amd = pushDebian("amd", Map.of("openssl", "3.0.11-1~deb12u2"));
        String arm = pushDebian("arm", Map.of("bash", "5.2.15-2+b2"));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + ScanServer.OCI_INDEX + "\",\"manifests\":["
                + child(amd, "amd64") + "," + child(arm, "arm64") + "]}";
        String digest = s.pushManifest(REPO, "multi", ScanServer.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
        s.ecr.startImageScan(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(digest)));
        var res = await(digest, st -> st.equals("COMPLETE") || st.equals("FAILED"));
        assertThat(res.imageScanStatus().statusAsString()).isEqualTo("COMPLETE");
        assertThat(res.imageScanFindings().findings()).extracting(ImageScanFinding::name).containsExactly("CVE-2024-0001");
        for (String child : List.of(amd, arm)) {
            assertThat(s.ecr.describeImageScanFindings(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(child)))
                    .imageScanStatus().statusAsString()).as("each platform has its own scan").isEqualTo("COMPLETE");
        }
        assertThat(s.ecr.describeImageScanFindings(b -> b.repositoryName(REPO).imageId(i -> i.imageDigest(amd)))
                .imageScanFindings().findingSeverityCountsAsStrings()).isEqualTo(Map.of("CRITICAL", 1));
    }

    private String child(String digest, String arch) throws Exception {
        byte[] manifest = s.get("/v2/" + REPO + "/manifests/" + digest).body();
        return "{\"mediaType\":\"" + ScanServer.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":" + manifest.length
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}}";
    }
}
