package io.wharf.server.oci;

import io.wharf.core.error.BlobDamagedException;
import io.wharf.core.model.Digest;
import io.wharf.core.service.BlobIntegrity;
import io.wharf.core.service.BlobService;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.nio.ByteBuffer;
import io.wharf.core.pullthrough.CacheRoute;
import io.wharf.core.pullthrough.PullThroughCache;

/**
 * {@code GET/HEAD/DELETE /v2/<name>/blobs/<digest>}, with single byte ranges (206). Both check that the
 * stored file has the recorded size first (a missing or truncated blob is {@code BLOB_UNKNOWN}, on HEAD
 * as on GET); with {@code verifyOnRead}, a full GET also hashes what it sends and breaks off the transfer
 * before its last piece when the bytes are not the digest's.
 *
 * <p>A store that redirects downloads (S3 with {@code storage.s3.redirect}) gets a whole-blob GET answered
 * {@code 307} to its presigned URL, after the same authorization and checks, so the bytes do not pass through this
 * node (nor through {@code verifyOnRead}); HEAD and range requests are still answered here.
 */
final class BlobEndpoints {
    private static final String OCTETS = "application/octet-stream";

    private final BlobService blobs;
    private final boolean verifyOnRead;

    private final PullThroughCache pullThrough;

    BlobEndpoints(BlobService blobs, boolean verifyOnRead, PullThroughCache pullThrough) {
        this.blobs = blobs;
        this.verifyOnRead = verifyOnRead;
        this.pullThrough = pullThrough;
    }

    void get(OciCall call) throws IOException {
        Digest digest = Digest.parse(call.reference());
        if (pullThrough != null && fromUpstream(call, digest)) {
            return;
        }
        if (call.ex().isHead()) {
            long size = blobs.stat(call.repo(), digest);
            headers(call, digest);
            call.ex().sendContent(200, OCTETS, null, 0, size);
            return;
        }
        if (call.ex().header("Range") == null) {
            Optional<URI> url = blobs.downloadUrl(call.repo(), digest);
            if (url.isPresent()) {
                // not the blob's long cache lifetime: the URL expires
                call.ex().setHeader("Docker-Content-Digest", digest.toString());
                call.ex().setHeader("Location", url.get().toString());
                call.ex().sendEmpty(307);
                return;
            }
        }
        try (SeekableByteChannel channel = blobs.open(call.repo(), digest)) {
            long size = channel.size();
            headers(call, digest);
            ByteRange range = range(call, size);
            if (range == null) {
                sendWhole(call, digest, channel, size);
            } else {
                call.ex().setHeader("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
                call.ex().sendContent(206, OCTETS, channel, range.start(), range.length());
            }
        }
    }

    /**
     * In a repository under a pull-through cache rule that lacks the blob: a HEAD answers the upstream's size; a GET
     * streams it from the upstream while storing it (whole, whatever the Range). False: serve it from storage.
     */
    private boolean fromUpstream(OciCall call, Digest digest) throws IOException {
        Optional<CacheRoute> route = pullThrough.route(call.repo());
        if (route.isEmpty() || pullThrough.hasBlob(call.repo(), digest)) {
            return false;
        }
        if (call.ex().isHead()) {
            long size = pullThrough.blobSize(call.repo(), route.get(), digest, call.allow());
            headers(call, digest);
            call.ex().sendContent(200, OCTETS, null, 0, size);
            return true;
        }
        return pullThrough.blob(call.repo(), route.get(), digest, new PullThroughCache.BlobSink() {
            @Override
            public void begin(long size) {
                headers(call, digest);
                call.ex().startContent(200, OCTETS, size);
            }

            @Override
            public void write(ByteBuffer piece, boolean last) throws IOException {
                call.ex().writePiece(piece, last);
            }
        }, call.allow());
    }

    private void sendWhole(OciCall call, Digest digest, SeekableByteChannel channel, long size) throws IOException {
        if (!verifyOnRead) {
            call.ex().sendContent(200, OCTETS, channel, 0, size);
            return;
        }
        BlobIntegrity.ReadCheck check = blobs.readCheck(digest, size);
        try {
            call.ex().sendContent(200, OCTETS, channel, 0, size, (piece, last) -> {
                check.update(piece);
                if (last) {
                    check.finish();
                }
            });
        } catch (BlobDamagedException e) {
            // matters only when nothing went out yet (one piece): the error must not look like the blob
            call.ex().removeHeaders("Docker-Content-Digest", "ETag", "Accept-Ranges", "Cache-Control");
            throw e;
        }
    }

    private static ByteRange range(OciCall call, long size) {
        try {
            return ByteRange.parse(call.ex().header("Range"), size);
        } catch (OciProblem p) {
            call.ex().setHeader("Content-Range", "bytes */" + size);
            throw p;
        }
    }

    void delete(OciCall call) throws IOException {
        blobs.delete(call.repo(), Digest.parse(call.reference()));
        call.ex().sendEmpty(202);
    }

    private static void headers(OciCall call, Digest digest) {
        call.ex().setHeader("Docker-Content-Digest", digest.toString())
                .setHeader("ETag", "\"" + digest + "\"")
                .setHeader("Accept-Ranges", "bytes")
                .setHeader("Cache-Control", "max-age=31536000");
    }
}
