package io.wharf.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how blobs are kept in an S3-compatible object store.
 *
 * @param bucket          the bucket (it must exist)
 * @param prefix          prepended to every key ("" or ending in '/'), so that several registries can share a bucket
 * @param region          the signing region (S3-compatible stores usually accept any)
 * @param endpoint        the store's URI for S3-compatible stores; null: AWS's endpoint for the region
 * @param pathStyle       {@code https://host/bucket/key} instead of {@code https://bucket.host/key}
 * @param accessKeyId     static credentials; null (with {@code secretAccessKey}): the default AWS credentials chain
 * @param secretAccessKey static credentials, given with {@code accessKeyId}
 * @param sse             server-side encryption asked for on every object written
 * @param kmsKeyId        the KMS key for {@link Sse#KMS}; null: the bucket's or AWS's default key
 * @param partSize        bytes per upload part, at least {@link #MIN_PART_SIZE}, at most {@link #MAX_PART_SIZE}
 * @param redirect        answer blob downloads with a redirect to a presigned URL instead of streaming them
 * @param presignTtl      how long a presigned URL stays valid
 */
public record S3Settings(String bucket, String prefix, String region, URI endpoint, boolean pathStyle,
                         String accessKeyId, String secretAccessKey, Sse sse, String kmsKeyId, long partSize,
                         boolean redirect, Duration presignTtl) {
    /** S3's smallest part other than the last. */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** A writer holds one part in memory: 1 GiB at most (S3 itself allows 5 GiB). */
    public static final long MAX_PART_SIZE = 1L << 30;
    public static final long DEFAULT_PART_SIZE = 16L << 20;
    /** SigV4 presigned URLs live at most a week. */
    public static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

    /** Server-side encryption: none, S3-managed keys, or KMS keys. */
    public enum Sse {
        NONE("none"), AES256("AES256"), KMS("aws:kms"), KMS_DSSE("aws:kms:dsse");

        private final String value;

        Sse(String value) {
            this.value = value;
        }

        /** As configured and as S3 names it. */
        public String value() {
            return value;
        }

        /** Whether it names a KMS key (SSE-KMS, single or dual layer). */
        public boolean usesKms() {
            return this == KMS || this == KMS_DSSE;
        }

        /** @throws IllegalArgumentException for anything but none, AES256, aws:kms or aws:kms:dsse */
        public static Sse parse(String text) {
            for (Sse sse : values()) {
                if (sse.value.equals(text)) {
                    return sse;
                }
            }
            throw new IllegalArgumentException("server-side encryption must be none, AES256, aws:kms or aws:kms:dsse, not '" + text + "'");
        }
    }

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an S3 bucket is required");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/"))) {
            throw new IllegalArgumentException("the S3 key prefix must end with '/' and not start with one: '" + prefix + "'");
        }
        Objects.requireNonNull(region, "region");
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("give both the S3 access key id and the secret access key, or neither");
        }
        sse = sse == null ? Sse.NONE : sse;
        if (kmsKeyId != null && !sse.usesKms()) {
            throw new IllegalArgumentException("a KMS key id needs server-side encryption aws:kms or aws:kms:dsse");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("the S3 part size must be between " + MIN_PART_SIZE + " and "
                    + MAX_PART_SIZE + " bytes, not " + partSize);
        }
        if (presignTtl == null || presignTtl.isNegative() || presignTtl.isZero() || presignTtl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new IllegalArgumentException("the presigned URL lifetime must be positive and at most 7 days, not " + presignTtl);
        }
    }

    /** Settings for {@code bucket} with the defaults: AWS's endpoint, no encryption, 16 MiB parts, no redirects. */
    public static S3Settings of(String bucket, String region) {
        return new S3Settings(bucket, "", region, null, false, null, null, Sse.NONE, null, DEFAULT_PART_SIZE,
                false, Duration.ofMinutes(15));
    }

    /** These settings with another server-side encryption (an encryption domain's). */
    public S3Settings withSse(Sse sse, String kmsKeyId) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
                kmsKeyId, partSize, redirect, presignTtl);
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region + ", endpoint=" + endpoint
                + ", pathStyle=" + pathStyle + ", accessKeyId=" + accessKeyId + ", sse=" + sse.value()
                + ", kmsKeyId=" + kmsKeyId + ", partSize=" + partSize + ", redirect=" + redirect
                + ", presignTtl=" + presignTtl + "]";
    }
}
