package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The domain's defaults against the numbers they claim, written out: Amazon ECR's documented service quotas
 * (reference/ecr-api.md §4) and the limits docs/configuration.md documents.
 */
class DefaultLimitsTest {
    private static final long MIB = 1 << 20;

    @Test
    void quotasDefaultToEcrsDocumentedServiceQuotas() {
        Quotas q = Quotas.defaults();
        assertThat(q.repositoriesPerRegistry()).as("registered repositories").isEqualTo(100_000);
        assertThat(q.imagesPerRepository()).as("images per repository").isEqualTo(100_000);
        assertThat(q.tagsPerImage()).as("tags per image").isEqualTo(1_000);
        assertThat(q.resourceTagsPerRepository()).as("resource tags per repository").isEqualTo(50);
        assertThat(q.maxLayerBytes()).as("maximum layer size").isEqualTo(52_000 * MIB);
        assertThat(q.minPartBytes()).as("minimum layer part").isEqualTo(5 * MIB);
        assertThat(q.maxPartBytes()).as("maximum layer part").isEqualTo(10 * MIB);
        assertThat(q.maxPartsPerUpload()).as("layer parts per upload").isEqualTo(4_200);
        assertThat(q.maxPolicyChars()).as("repository / registry policy size").isEqualTo(10_240);
        assertThat(q.maxLifecyclePolicyChars()).as("lifecycle policy length").isEqualTo(30_720);
    }

    @Test
    void registryLimitsDefaultToTheDocumentedValues() {
        assertThat(RegistryLimits.defaults()).isEqualTo(new RegistryLimits(4 * (int) MIB, 64L * 1024 * MIB, 10_000,
                Duration.ofHours(1), true, new UploadLimits(Duration.ofHours(6), 256, 10_000)));
    }
}
