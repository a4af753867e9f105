package io.wharf.storage.s3;

import io.wharf.core.model.Encryption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An encryption domain of the S3 store: the server-side encryption a KMS repository's objects are written with, as
 * its setting names it ({@code aws:kms} or {@code aws:kms:dsse}; the key null: the bucket's or AWS's default KMS key).
 */
public record S3Domain(S3Settings.Sse sse, String kmsKeyId) {
    /** S3 accepts key ids, key ARNs, alias names and alias ARNs; 2,048 characters is KMS's longest ARN. */
    static final int MAX_KEY_CHARS = 2048;

    public S3Domain {
        Objects.requireNonNull(sse, "sse");
        if (!sse.usesKms()) {
            throw new IllegalArgumentException("an S3 encryption domain is SSE-KMS, not " + sse.value());
        }
        if (kmsKeyId != null && (kmsKeyId.isBlank() || kmsKeyId.length() > MAX_KEY_CHARS)) {
            throw new IllegalArgumentException("a KMS key id must be 1 to " + MAX_KEY_CHARS + " characters");
        }
    }

    /** The domain of a repository's setting; null for AES256 and no setting (the plain tree). */
    public static S3Domain of(Encryption encryption) {
        if (encryption == null || encryption.type() == Encryption.Type.AES256) {
            return null;
        }
        S3Settings.Sse sse = encryption.type() == Encryption.Type.KMS_DSSE ? S3Settings.Sse.KMS_DSSE : S3Settings.Sse.KMS;
        String key = encryption.kmsKey() == null || encryption.kmsKey().isBlank() ? null : encryption.kmsKey();
        return new S3Domain(sse, key);
    }

    /**
     * The domain's folder under {@code domains/}: the encryption and a hash of the key (a key ARN holds characters
     * an object key should not, and may be longer than one).
     */
    String folder() {
        String kind = sse == S3Settings.Sse.KMS_DSSE ? "dsse-" : "kms-";
        return kind + (kmsKeyId == null ? "default" : sha256(kmsKeyId).substring(0, 32));
    }

    /** The marker object's text: what a node that finds the folder needs to write into it. */
    String describe() {
        return sse.value() + "\n" + (kmsKeyId == null ? "" : kmsKeyId);
    }

    /** The domain a marker describes. */
    static S3Domain parse(String text) {
        int nl = text.indexOf('\n');
        if (nl < 0) {
            throw new IllegalArgumentException("not an S3 encryption domain marker");
        }
        String key = text.substring(nl + 1).strip();
        return new S3Domain(S3Settings.Sse.parse(text.substring(0, nl)), key.isEmpty() ? null : key);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
