package io.wharf.server.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.RegistryScanningRule;
import software.amazon.awssdk.services.ecr.model.RepositoryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ScanFrequency;
import software.amazon.awssdk.services.ecr.model.ScanType;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilterType;

/**
 * The ECR scanning calls that need no analysis, through the AWS SDK v2 against a started server: the effective
 * configuration per repository (registry rules over the deprecated flag, continuous over scan-on-push), the
 * errors of StartImageScan and DescribeImageScanFindings, and the 24-hour quota.
 */
class ScanningConfigurationApiTest {
    @TempDir
    Path data;
    private ScanServer s;

    @BeforeEach
    void start() throws Exception {
        s = new ScanServer(data, ScanServer.scanning(false));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private static RegistryScanningRule rule(ScanFrequency frequency, String... filters) {
        return RegistryScanningRule.builder().scanFrequency(frequency).repositoryFilters(List.of(filters).stream()
                .map(f -> software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter.builder().filter(f)
                        .filterType(ScanningRepositoryFilterType.WILDCARD).build()).toList()).build();
    }

    private Map<String, RepositoryScanningConfiguration> configurations(String... names) {
        var res = s.ecr.batchGetRepositoryScanningConfiguration(b -> b.repositoryNames(names));
        Map<String, RepositoryScanningConfiguration> out = new java.util.TreeMap<>();
        res.scanningConfigurations().forEach(c -> out.put(c.repositoryName(), c));
        return out;
    }

    @Test
    void withoutRegistryRulesTheRepositoryFlagDecides() {
        s.ecr.createRepository(b -> b.repositoryName("team/flagged").imageScanningConfiguration(c -> c.scanOnPush(true)));
        s.ecr.createRepository(b -> b.repositoryName("team/plain"));
        var res = s.ecr.batchGetRepositoryScanningConfiguration(b -> b.repositoryNames("team/flagged", "team/plain", "team/missing"));
        var byName = configurations("team/flagged", "team/plain");
        assertThat(byName.get("team/flagged").scanOnPush()).isTrue();
        assertThat(byName.get("team/flagged").scanFrequency()).isEqualTo(ScanFrequency.SCAN_ON_PUSH);
        assertThat(byName.get("team/flagged").appliedScanFilters()).isEmpty();
        assertThat(byName.get("team/flagged").repositoryArn()).endsWith(":repository/team/flagged");
        assertThat(byName.get("team/plain").scanOnPush()).isFalse();
        assertThat(byName.get("team/plain").scanFrequency()).isEqualTo(ScanFrequency.MANUAL);
        assertThat(res.failures()).singleElement().satisfies(f -> {
            assertThat(f.repositoryName()).isEqualTo("team/missing");
            assertThat(f.failureCodeAsString()).isEqualTo("REPOSITORY_NOT_FOUND");
        });
    }

    @Test
    void registryRulesOverrideTheFlagAndContinuousWinsOverScanOnPush() {
        s.ecr.createRepository(b -> b.repositoryName("prod/api").imageScanningConfiguration(c -> c.scanOnPush(true)));
        s.ecr.createRepository(b -> b.repositoryName("dev/api"));
        s.ecr.createRepository(b -> b.repositoryName("other").imageScanningConfiguration(c -> c.scanOnPush(true)));
        s.ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED)
                .rules(rule(ScanFrequency.SCAN_ON_PUSH, "*api"), rule(ScanFrequency.CONTINUOUS_SCAN, "prod")));
        var byName = configurations("prod/api", "dev/api", "other");
        assertThat(byName.get("prod/api").scanFrequency()).as("both match: continuous wins").isEqualTo(ScanFrequency.CONTINUOUS_SCAN);
        assertThat(byName.get("prod/api").appliedScanFilters()).singleElement()
                .satisfies(f -> assertThat(f.filter()).isEqualTo("prod"));
        assertThat(byName.get("dev/api").scanFrequency()).isEqualTo(ScanFrequency.SCAN_ON_PUSH);
        assertThat(byName.get("dev/api").scanOnPush()).isTrue();
        assertThat(byName.get("other").scanFrequency()).as("the flag no longer counts").isEqualTo(ScanFrequency.MANUAL);
        assertThat(byName.get("other").scanOnPush()).isFalse();
    }

    @Test
    void continuousScanningIsRefusedForBasicAndTheBatchIsBounded() {
        assertError("ValidationException", () -> s.ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(rule(ScanFrequency.CONTINUOUS_SCAN, "*"))));
        assertError("InvalidParameterException", () -> s.ecr.batchGetRepositoryScanningConfiguration(b -> b.repositoryNames(
                java.util.stream.IntStream.range(0, 26).mapToObj(i -> "r" + i).toList())));
    }

    @Test
    void aNeverScannedImageHasNoScanAndAMissingImageIsNotFound() throws Exception {
        s.ecr.createRepository(b -> b.repositoryName("team/app"));
        String digest = s.pushImage("team/app", "v1", List.of(ScanServer.layer(Map.of("hello.txt", "hi"))));
        assertError("ScanNotFoundException", () -> s.ecr.describeImageScanFindings(b -> b.repositoryName("team/app")
                .imageId(i -> i.imageDigest(digest))));
        assertError("ImageNotFoundException", () -> s.ecr.describeImageScanFindings(b -> b.repositoryName("team/app")
                .imageId(i -> i.imageTag("nope"))));
        assertError("ImageNotFoundException", () -> s.ecr.startImageScan(b -> b.repositoryName("team/app")
                .imageId(i -> i.imageTag("nope"))));
        var described = s.ecr.describeImages(b -> b.repositoryName("team/app")).imageDetails().getFirst();
        assertThat(described.imageScanStatus()).as("never scanned").isNull();
        assertThat(described.imageScanFindingsSummary()).isNull();
    }

    @Test
    void artifactsAreNotScannable() throws Exception {
        s.ecr.createRepository(b -> b.repositoryName("team/app"));
        String image = s.pushImage("team/app", "v1", List.of(ScanServer.layer(Map.of("hello.txt", "hi"))));
        long size = s.ecr.batchGetImage(b -> b.repositoryName("team/app").imageIds(i -> i.imageDigest(image)))
                .images().getFirst().imageManifest().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        String sbom = s.pushArtifact("team/app", "sbom", "application/spdx+json", image, size);
        String chart = s.pushArtifact("team/app", "chart", "application/vnd.cncf.helm.chart.content.v1.tar+gzip", null, 0);
        for (String digest : List.of(sbom, chart)) {
            assertError("UnsupportedImageTypeException", () -> s.ecr.startImageScan(b -> b.repositoryName("team/app")
                    .imageId(i -> i.imageDigest(digest))));
        }
    }

    @Test
    void oneManualScanPerImagePerDay() throws Exception {
        s.ecr.createRepository(b -> b.repositoryName("team/app"));
        String digest = s.pushImage("team/app", "v1", List.of(ScanServer.layer(Map.of("hello.txt", "hi"))));
        var started = s.ecr.startImageScan(b -> b.repositoryName("team/app").imageId(i -> i.imageTag("v1")));
        assertThat(started.imageId().imageDigest()).isEqualTo(digest);
        assertThat(started.imageId().imageTag()).isEqualTo("v1");
        assertThat(started.imageScanStatus().statusAsString()).isEqualTo("IN_PROGRESS");
        assertThat(started.registryId()).isEqualTo(s.config.account());
        assertError("LimitExceededException", () -> s.ecr.startImageScan(b -> b.repositoryName("team/app")
                .imageId(ImageIdentifier.builder().imageDigest(digest).build())));
    }

    @Test
    void enhancedRegistriesTakeNoManualScans() throws Exception {
        s.ecr.createRepository(b -> b.repositoryName("team/app"));
        s.pushImage("team/app", "v1", List.of(ScanServer.layer(Map.of("hello.txt", "hi"))));
        s.ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED));
        assertError("ValidationException", () -> s.ecr.startImageScan(b -> b.repositoryName("team/app")
                .imageId(i -> i.imageTag("v1"))));
    }

    private static void assertError(String type, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcrException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type));
    }
}
