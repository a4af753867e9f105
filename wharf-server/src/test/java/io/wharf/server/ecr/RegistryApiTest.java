package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ScanFrequency;
import software.amazon.awssdk.services.ecr.model.ScanType;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilterType;

/** DescribeRegistry, registry scanning configuration, GetAuthorizationToken. */
class RegistryApiTest extends EcrTest {

    @Test
    void describeRegistryHasNoReplicationRules() {
        var res = ecr.describeRegistry(b -> { });
        assertThat(res.registryId()).isEqualTo(ACCOUNT);
        assertThat(res.replicationConfiguration().rules()).isEmpty();
    }

    @Test
    void scanningConfigurationDefaultsToBasicAndCanBeSet() {
        var initial = ecr.getRegistryScanningConfiguration(b -> { });
        assertThat(initial.registryId()).isEqualTo(ACCOUNT);
        assertThat(initial.scanningConfiguration().scanType()).isEqualTo(ScanType.BASIC);
        assertThat(initial.scanningConfiguration().rules()).isEmpty();
        var put = ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED).rules(r -> r
                .scanFrequency(ScanFrequency.CONTINUOUS_SCAN)
                .repositoryFilters(f -> f.filter("prod*").filterType(ScanningRepositoryFilterType.WILDCARD))));
        assertThat(put.registryScanningConfiguration().scanType()).isEqualTo(ScanType.ENHANCED);
        var read = ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration();
        assertThat(read.rules()).singleElement().satisfies(r -> {
            assertThat(r.scanFrequency()).isEqualTo(ScanFrequency.CONTINUOUS_SCAN);
            assertThat(r.repositoryFilters().getFirst().filter()).isEqualTo("prod*");
        });
        assertEcrError("ValidationException", () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(r -> r.scanFrequency(ScanFrequency.CONTINUOUS_SCAN)
                        .repositoryFilters(f -> f.filter("*").filterType(ScanningRepositoryFilterType.WILDCARD)))));
        ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC));
        assertThat(ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration().rules()).isEmpty();
    }

    @Test
    void authorizationTokensDecodeAsDockerLoginExpectsAndPointHere() {
        var data = ecr.getAuthorizationToken(b -> { }).authorizationData();
        assertThat(data).hasSize(1);
        String decoded = new String(Base64.getDecoder().decode(data.getFirst().authorizationToken()), StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("AWS:").hasSizeGreaterThan(20);
        assertThat(data.getFirst().proxyEndpoint()).isEqualTo("http://127.0.0.1:" + r.port);
        assertThat(data.getFirst().expiresAt()).isBetween(Instant.now().plus(Duration.ofHours(11)), Instant.now().plus(Duration.ofHours(13)));
        assertThat(ecr.getAuthorizationToken(b -> b.registryIds(ACCOUNT, "111122223333")).authorizationData()).hasSize(2);
        assertEcrError("InvalidParameterException", () -> ecr.getAuthorizationToken(b -> b.registryIds("12")));
    }
}
