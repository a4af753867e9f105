package io.wharf.storage.s3;

import io.wharf.core.error.StorageUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

/**
 * The few object operations both S3 stores need, with the settings' encryption on every object written and the SDK's
 * failures turned into {@link IOException}s (a missing object into {@link NoSuchFileException}).
 */
final class S3Objects {
    private static final Logger LOG = LoggerFactory.getLogger(S3Objects.class);
    /** The most one copy request may copy; bigger objects are copied part by part. */
    static final long MAX_COPY = 5L << 30;
    private static final long COPY_PART = 1L << 30;
    private static final int MAX_DELETE = 1000;

    private final S3Client client;
    private final S3Settings settings;

    S3Objects(S3Client client, S3Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** A source object's part to copy: {@code length} bytes from its start, copied only while its ETag is {@code etag}. */
    record Source(String key, long length, String etag) {
    }

    String key(String name) {
        return settings.prefix() + name;
    }

    /** The same bucket and client, writing with another server-side encryption (an encryption domain's objects). */
    S3Objects withSse(S3Settings.Sse sse, String kmsKeyId) {
        return new S3Objects(client, settings.withSse(sse, kmsKeyId));
    }

    /** The names of the "folders" right under {@code prefix} (keys' next segment before a '/'), at most 1,000. */
    List<String> folders(String prefix) throws IOException {
        ListObjectsV2Response page = call(prefix, () -> client.listObjectsV2(ListObjectsV2Request.builder()
                .bucket(settings.bucket()).prefix(prefix).delimiter("/").maxKeys(MAX_DELETE).build()));
        return page.commonPrefixes().stream().map(p -> p.prefix().substring(prefix.length()))
                .map(f -> f.substring(0, f.length() - 1)).toList();
    }

    /** Writes an object; returns its ETag. */
    String put(String key, byte[] bytes, int length) throws IOException {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(settings.bucket()).key(key).contentLength((long) length);
        if (settings.sse() != S3Settings.Sse.NONE) {
            req.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse().value())).ssekmsKeyId(settings.kmsKeyId());
        }
        return call(key, () -> client.putObject(req.build(), RequestBody.fromBytes(bytes.length == length ? bytes
                : java.util.Arrays.copyOf(bytes, length))).eTag());
    }

    /** The object's metadata. */
    HeadObjectResponse head(String key) throws IOException {
        return call(key, () -> client.headObject(HeadObjectRequest.builder().bucket(settings.bucket()).key(key).build()));
    }

    /** Bytes [from, to) of an object; {@code to} past its end reads to the end. */
    InputStream get(String key, long from, long to) throws IOException {
        return call(key, () -> client.getObject(GetObjectRequest.builder().bucket(settings.bucket()).key(key)
                .range("bytes=" + from + "-" + (to - 1)).build()));
    }

    void delete(String key) throws IOException {
        call(key, () -> client.deleteObject(DeleteObjectRequest.builder().bucket(settings.bucket()).key(key).build()));
    }

    /** Deletes every object whose key starts with {@code prefix}. */
    void deleteAll(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String after = null; ; ) {
            List<S3Object> page = list(prefix, after, MAX_DELETE);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(o -> keys.add(o.key()));
            after = page.getLast().key();
        }
        for (int i = 0; i < keys.size(); i += MAX_DELETE) {
            List<ObjectIdentifier> ids = keys.subList(i, Math.min(keys.size(), i + MAX_DELETE)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            call(prefix, () -> client.deleteObjects(DeleteObjectsRequest.builder().bucket(settings.bucket())
                    .delete(Delete.builder().objects(ids).quiet(true).build()).build()));
        }
    }

    /** Up to {@code limit} objects under {@code prefix} in key order, strictly after {@code after} (null: from the first). */
    List<S3Object> list(String prefix, String after, int limit) throws IOException {
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(prefix)
                .maxKeys(Math.max(1, Math.min(limit, MAX_DELETE)));
        if (after != null) {
            req.startAfter(after);
        }
        ListObjectsV2Response page = call(prefix, () -> client.listObjectsV2(req.build()));
        return page.contents();
    }

    /** Copies a whole object server-side; objects above {@link #MAX_COPY} part by part. */
    void copy(String from, String to, long size) throws IOException {
        copy(from, to, size, MAX_COPY, COPY_PART);
    }

    /** As {@link #copy(String, String, long)}, with the thresholds as parameters (tests copy small objects in pieces). */
    void copy(String from, String to, long size, long maxCopy, long piece) throws IOException {
        if (size <= maxCopy) {
            CopyObjectRequest.Builder req = CopyObjectRequest.builder().sourceBucket(settings.bucket()).sourceKey(from)
                    .destinationBucket(settings.bucket()).destinationKey(to);
            if (settings.sse() != S3Settings.Sse.NONE) {
                req.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse().value())).ssekmsKeyId(settings.kmsKeyId());
            }
            call(from, () -> client.copyObject(req.build()));
            return;
        }
        List<Source> pieces = new ArrayList<>();
        for (long at = 0; at < size; at += piece) {
            pieces.add(new Source(from, Math.min(piece, size - at), null));
        }
        concatenate(pieces, to, piece);
    }

    /**
     * Writes {@code to} as the concatenation of the sources' leading bytes, by a multipart upload whose parts are
     * server-side copies: no byte passes through this node, and the object appears whole or not at all.
     *
     * @param offsetStep for sources naming one object: the offset of each next piece in it (0: each is its own object)
     */
    void concatenate(List<Source> sources, String to, long offsetStep) throws IOException {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(settings.bucket()).key(to);
        if (settings.sse() != S3Settings.Sse.NONE) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse().value())).ssekmsKeyId(settings.kmsKeyId());
        }
        String uploadId = call(to, () -> client.createMultipartUpload(create.build()).uploadId());
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                parts.add(copyPart(sources.get(i), to, uploadId, i + 1, i * offsetStep));
            }
            call(to, () -> client.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(settings.bucket())
                    .key(to).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build()));
        } catch (IOException | RuntimeException e) {
            try {
                call(to, () -> client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(settings.bucket())
                        .key(to).uploadId(uploadId).build()));
            } catch (IOException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private CompletedPart copyPart(Source source, String to, String uploadId, int number, long from) throws IOException {
        UploadPartCopyRequest.Builder req = UploadPartCopyRequest.builder().sourceBucket(settings.bucket())
                .sourceKey(source.key()).destinationBucket(settings.bucket()).destinationKey(to).uploadId(uploadId)
                .partNumber(number).copySourceRange("bytes=" + from + "-" + (from + source.length() - 1));
        if (source.etag() != null) {
            req.copySourceIfMatch(source.etag());
        }
        String etag = call(source.key(), () -> client.uploadPartCopy(req.build()).copyPartResult().eTag());
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    /**
     * Runs one request; a missing object (404) becomes {@link NoSuchFileException}. Any other failure (the store down
     * or unreachable, a 5xx, refused credentials, a missing bucket) means the object store cannot serve this node:
     * {@link StorageUnavailableException}, which clients see as 503 and may retry; the cause goes to the log only.
     */
    static <T> T call(String key, Supplier<T> request) throws IOException {
        try {
            return request.get();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(e.awsErrorDetails() == null ? null
                    : e.awsErrorDetails().errorCode())) {
                throw (NoSuchFileException) new NoSuchFileException(key).initCause(e);
            }
            throw unavailable(key, e);
        } catch (SdkException e) {
            throw unavailable(key, e);
        }
    }

    private static StorageUnavailableException unavailable(String key, SdkException e) {
        LOG.warn("S3 request for {} failed: {}", key, e.getMessage());
        return new StorageUnavailableException("storage unavailable: the object store did not serve the request", null);
    }
}
