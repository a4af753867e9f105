package io.wharf.storage.crypto;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Encryption;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Seals the manifests of encrypted repositories for the metadata database with the data key of the repository's
 * encryption domain (the one its blobs are encrypted with): Tink streaming AEAD, {@code manifest:<digest>} as
 * associated data, so a sealed manifest moved to another digest, or a blob ciphertext put in its place, does not open.
 */
public final class ManifestSealing {
    /** Nothing sealed: every manifest is stored plain (no encryption domains, e.g. blobs on S3). */
    public static final ManifestSealing NONE = new ManifestSealing(null, encryption -> null);

    private final EncryptionKeys keys;
    private final Function<Encryption, String> domains;

    /** @param domains the domain of a repository's setting, null for plain (as its blobs are stored) */
    public ManifestSealing(EncryptionKeys keys, Function<Encryption, String> domains) {
        this.keys = keys;
        this.domains = domains;
    }

    /** The domain sealing the manifests of repositories with this setting; null: they are stored plain. */
    public String domainOf(Encryption encryption) {
        return domains.apply(encryption);
    }

    public byte[] seal(String domain, Digest digest, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        try (OutputStream sealing = keys.dataKey(domain).newEncryptingStream(out, associated(digest))) {
            sealing.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: only the key store can fail, and it reports itself
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal manifest " + digest + " in domain " + domain, e);
        }
        return out.toByteArray();
    }

    /**
     * The manifest's bytes; empty when they do not open: tampered with, sealed by a key that is gone, or read where
     * nothing is sealed (metadata migrated to a deployment without the keys).
     */
    public Optional<byte[]> open(String domain, Digest digest, byte[] sealed) {
        if (keys == null) {
            return Optional.empty();
        }
        try (InputStream in = keys.dataKey(domain).newDecryptingStream(new ByteArrayInputStream(sealed), associated(digest))) {
            return Optional.of(in.readAllBytes());
        } catch (IOException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] associated(Digest digest) {
        return ("manifest:" + digest).getBytes(StandardCharsets.US_ASCII);
    }
}
