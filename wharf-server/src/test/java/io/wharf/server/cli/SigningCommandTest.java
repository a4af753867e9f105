package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf signing public-key}: one key per profile, the same on every call, a clear usage error otherwise. */
class SigningCommandTest {
    private static final String PROFILE = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/ci";

    @TempDir
    Path data;

    @BeforeEach
    void createDataDirectory() {
        SqliteMetadataStore.open(data).close();
    }

    @Test
    void printsTheProfilesPublicKeyCreatedOnce() throws Exception {
        CliRun first = CliRun.run(Map.of(), data, "signing", "public-key", PROFILE);
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(CliRun.run(Map.of(), data, "signing", "public-key", PROFILE).out()).isEqualTo(first.out());
        assertThat(CliRun.run(Map.of(), data, "signing", "public-key", PROFILE + "2").out()).isNotEqualTo(first.out());
        try (var files = Files.list(data.resolve("keys/signing"))) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void anythingButAProfileArnIsAUsageError() {
        CliRun bad = CliRun.run(Map.of(), data, "signing", "public-key", "arn:aws:kms:us-east-1:000000000000:key/x");
        assertThat(bad.status()).isEqualTo(WharfCommand.EXIT_USAGE);
        assertThat(bad.err()).contains("not a signing profile ARN");
    }
}
