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
    @TempDir
    Path dir;

    @Test
    void defaultsAreEcrs() {
        WharfConfig.Ecr ecr = WharfConfig.defaults().ecr();
        assertThat(ecr.createOnPush()).isTrue();
        assertThat(ecr.maxRequestBytes()).isEqualTo(32 << 20);
        assertThat(ecr.quotas()).isEqualTo(Quotas.defaults());
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
        assertThat(ecr.quotas().imagesPerRepository()).isEqualTo(Quotas.defaults().imagesPerRepository());
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_QUOTAS_TAGS_PER_IMAGE", "0"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("quotas.tags-per-image");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_REPOSITORIES_CREATE_ON_PUSH", "maybe"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("repositories.create-on-push");
    }
}
