package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.storage.s3.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.blobs} and {@code storage.s3.*}: from YAML and environment, with clear errors. */
class BlobStorageConfigTest {
    @TempDir
    Path dir;

    private static WharfConfig load(Path file, Map<String, String> env) {
        return ConfigLoader.load(file, env, Map.of()).config();
    }

    @Test
    void blobsDefaultToTheFilesystem() {
        WharfConfig c = WharfConfig.defaults();
        assertThat(c.blobs()).isEqualTo(WharfConfig.Blobs.FILESYSTEM);
        assertThatThrownBy(c::s3).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void s3SettingsComeFromTheFileWithTheirDefaults() throws IOException {
        Path file = Files.writeString(dir.resolve("wharf.yaml"), """
                region: eu-west-1
                storage:
                  blobs: s3
                  s3:
                    bucket: images
                """);
        S3Settings s3 = load(file, Map.of()).s3();
        assertThat(s3).isEqualTo(new S3Settings("images", "", "eu-west-1", null, false, null, null, S3Settings.Sse.NONE,
                null, 16L << 20, false, Duration.ofMinutes(15)));
    }

    @Test
    void everyS3KeyIsReadFromTheEnvironment() {
        S3Settings s3 = load(null, Map.ofEntries(
                Map.entry("WHARF_STORAGE_BLOBS", "s3"),
                Map.entry("WHARF_STORAGE_S3_BUCKET", "b"),
                Map.entry("WHARF_STORAGE_S3_PREFIX", "wharf/"),
                Map.entry("WHARF_STORAGE_S3_REGION", "us-west-2"),
                Map.entry("WHARF_STORAGE_S3_ENDPOINT", "http://127.0.0.1:9000"),
                Map.entry("WHARF_STORAGE_S3_PATH_STYLE", "true"),
                Map.entry("WHARF_STORAGE_S3_ACCESS_KEY_ID", "id"),
                Map.entry("WHARF_STORAGE_S3_SECRET_ACCESS_KEY", "secret"),
                Map.entry("WHARF_STORAGE_S3_SSE", "aws:kms"),
                Map.entry("WHARF_STORAGE_S3_KMS_KEY_ID", "alias/wharf"),
                Map.entry("WHARF_STORAGE_S3_PART_SIZE", "64MiB"),
                Map.entry("WHARF_STORAGE_S3_REDIRECT", "true"),
                Map.entry("WHARF_STORAGE_S3_PRESIGN_TTL", "PT5M"))).s3();
        assertThat(s3).isEqualTo(new S3Settings("b", "wharf/", "us-west-2", URI.create("http://127.0.0.1:9000"), true,
                "id", "secret", S3Settings.Sse.KMS, "alias/wharf", 64L << 20, true, Duration.ofMinutes(5)));
    }

    @Test
    void invalidS3SettingsAreRefusedWithTheKeyToFix() {
        Map<String, String> s3 = Map.of("WHARF_STORAGE_BLOBS", "s3", "WHARF_STORAGE_S3_BUCKET", "b");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_STORAGE_BLOBS", "s3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.bucket")
                .hasMessageContaining("WHARF_STORAGE_S3_BUCKET");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_STORAGE_BLOBS", "nfs")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.blobs");
        assertThatThrownBy(() -> load(null, with(s3, "WHARF_STORAGE_S3_PART_SIZE", "1MiB")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.part-size");
        assertThatThrownBy(() -> load(null, with(s3, "WHARF_STORAGE_S3_PART_SIZE", "2GiB")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.part-size");
        assertThatThrownBy(() -> load(null, with(s3, "WHARF_STORAGE_S3_SSE", "aes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.sse").hasMessageContaining("AES256");
        assertThatThrownBy(() -> load(null, with(s3, "WHARF_STORAGE_S3_ENDPOINT", "s3.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.endpoint");
        assertThatThrownBy(() -> load(null, with(s3, "WHARF_STORAGE_S3_KMS_KEY_ID", "k")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aws:kms");
        assertThatThrownBy(() -> load(null, with(s3, "WHARF_STORAGE_S3_ACCESS_KEY_ID", "id")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("secret access key");
        assertThatThrownBy(() -> load(null, with(s3, "WHARF_STORAGE_S3_PRESIGN_TTL", "8d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("7 days");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
