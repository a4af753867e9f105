package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.secret.UpstreamSecret;
import io.wharf.core.spi.SecretIndex.StoredSecret;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets sealed with the deployment's AES-GCM sealer in a real SQLite store. */
class StoredUpstreamSecretsTest {
    static final String A = "111111111111";

    @TempDir
    Path data;
    private JdbcMetadataStore meta;
    private StoredUpstreamSecrets secrets;

    @BeforeEach
    void open() {
        meta = SqliteMetadataStore.open(data);
        byte[] key = new byte[AesGcmSecretSealer.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        secrets = new StoredUpstreamSecrets(meta.secrets(), new AesGcmSecretSealer(key, new SecureRandom()), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        meta.close();
    }

    @Test
    void aSecretIsStoredSealedAndReadBackInTheClear() {
        assertThat(secrets.put(A, "ecr-pullthroughcache/hub", null, "{\"username\":\"u\",\"accessToken\":\"t0ken\",\"extra\":1}"))
                .isTrue();
        assertThat(secrets.read(A, "ecr-pullthroughcache/hub")).contains(new UpstreamSecret("u", "t0ken"));
        assertThat(secrets.read(A, "ecr-pullthroughcache/other")).isEmpty();
        assertThat(secrets.read("222222222222", "ecr-pullthroughcache/hub")).isEmpty();
        StoredSecret row = meta.secrets().findSecret(A, "ecr-pullthroughcache/hub").orElseThrow();
        assertThat(new String(row.sealed(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("t0ken");
        assertThat(row.toString()).doesNotContain("t0ken");
    }

    @Test
    void aSealedValueMovedToAnotherNameDoesNotOpen() {
        secrets.put(A, "one", null, "{\"username\":\"u\",\"accessToken\":\"t\"}");
        byte[] sealed = meta.secrets().findSecret(A, "one").orElseThrow().sealed();
        meta.secrets().putSecret(A, "two", null, sealed, java.time.Instant.now());
        assertThatThrownBy(() -> secrets.read(A, "two")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyUsernameAndAccessTokenJsonIsAccepted() {
        assertThatThrownBy(() -> secrets.put(A, "n", null, "{\"username\":\"u\",\"accessToken\":\"\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessToken");
        assertThatThrownBy(() -> secrets.put(A, "n", null, "[\"u\", \"t\"]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secrets.put(A, "white space", null, "{\"username\":\"u\",\"accessToken\":\"t\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThat(meta.secrets().listSecrets(A, null, 10)).isEmpty();
    }
}
