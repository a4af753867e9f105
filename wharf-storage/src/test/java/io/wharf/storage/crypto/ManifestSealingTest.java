package io.wharf.storage.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSealingTest {
    private static final byte[] MANIFEST = "{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256Of(MANIFEST);

    @TempDir
    Path dir;

    private ManifestSealing sealing() throws Exception {
        return new ManifestSealing(new EncryptionKeys(dir, new byte[32]), encryption -> EncryptionKeys.AES256_DOMAIN);
    }

    @Test
    void sealedBytesOpenOnlyUnderTheirDigestAndUntouched() throws Exception {
        ManifestSealing sealing = sealing();
        byte[] sealed = sealing.seal("aes256", DIGEST, MANIFEST);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("schemaVersion");
        assertThat(sealing.open("aes256", DIGEST, sealed)).hasValueSatisfying(b -> assertThat(b).isEqualTo(MANIFEST));

        assertThat(sealing.open("aes256", Digest.sha256Of(new byte[] {1}), sealed)).as("another digest").isEmpty();
        byte[] flipped = Arrays.copyOf(sealed, sealed.length);
        flipped[flipped.length - 3] ^= 1;
        assertThat(sealing.open("aes256", DIGEST, flipped)).as("tampered").isEmpty();
        assertThat(sealing.open("aes256", DIGEST, Arrays.copyOf(sealed, sealed.length - 1))).as("truncated").isEmpty();
    }

    @Test
    void whereNothingIsSealedASealedRowDoesNotOpen() throws Exception {
        byte[] sealed = sealing().seal("aes256", DIGEST, MANIFEST);
        assertThat(ManifestSealing.NONE.domainOf(null)).isNull();
        assertThat(ManifestSealing.NONE.open("aes256", DIGEST, sealed)).isEmpty();
    }
}
