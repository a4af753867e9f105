package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.service.Quotas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code repositories}, {@code ecr} and {@code quotas} sections. */
class EcrConfigTest {
    private static final long MIB = 1 << 20;
    /**
     * Amazon ECR's default service quotas (reference/ecr-api.md §4), written out here rather than taken from
     * {@link Quotas#defaults()}, so that a changed default fails this test instead of agreeing with itself.
     */
    static final Quotas ECR_DOCUMENTED = new Quotas(
            100_000,    // registered repositories
            100_000,    // images per repository
            1_000,      // tags per image
            50,         // resource tags per repository
            52_000 * MIB, // maximum layer size
            5 * MIB,    // minimum layer part (except the last)
            10 * MIB,   // maximum layer part
            4_200,      // layer parts per upload
            10_240,     // repository / registry policy characters
            30_720);    // lifecycle policy characters

    @TempDir
    Path dir;

    @Test
    void defaultsAreEcrs() {
        WharfConfig.Ecr ecr = WharfConfig.defaults().ecr();
        assertThat(ecr.createOnPush()).isTrue();
        assertThat(ecr.maxRequestBytes()).isEqualTo(32 << 20);
        assertThat(ecr.quotas()).isEqualTo(ECR_DOCUMENTED);
    }

    @Test
    void sectionsBindFromYamlAndEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("wharf.yaml"), """
                repositories:
                  create-on-push: false
                ecr:
                  max-request-bytes: 40MiB
                quotas:
                  repositories-per-registry: 10
                  tags-per-image: 5
                  min-part-size: 1MiB
                """);
        WharfConfig.Ecr ecr = ConfigLoader.load(file, Map.of("WHARF_QUOTAS_MAX_PARTS_PER_UPLOAD", "7"), Map.of()).config().ecr();
        assertThat(ecr.createOnPush()).isFalse();
        assertThat(ecr.maxRequestBytes()).isEqualTo(40 << 20);
        assertThat(ecr.quotas().repositoriesPerRegistry()).isEqualTo(10);
        assertThat(ecr.quotas().tagsPerImage()).isEqualTo(5);
        assertThat(ecr.quotas().minPartBytes()).isEqualTo(1 << 20);
        assertThat(ecr.quotas().maxPartsPerUpload()).isEqualTo(7);
        assertThat(ecr.quotas().imagesPerRepository()).isEqualTo(100_000); // unset: ECR's default
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_QUOTAS_TAGS_PER_IMAGE", "0"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("quotas.tags-per-image");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_REPOSITORIES_CREATE_ON_PUSH", "maybe"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("repositories.create-on-push");
    }
}
