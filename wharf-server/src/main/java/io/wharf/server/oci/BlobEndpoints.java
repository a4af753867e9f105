package io.wharf.server.oci;

import io.wharf.core.model.Digest;
import io.wharf.core.service.BlobService;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/** {@code GET/HEAD/DELETE /v2/<name>/blobs/<digest>}, with single byte ranges (206). */
final class BlobEndpoints {
    private final BlobService blobs;

    BlobEndpoints(BlobService blobs) {
        this.blobs = blobs;
    }

    void get(OciCall call) throws IOException {
        Digest digest = Digest.parse(call.reference());
        long size = call.ex().isHead() ? blobs.stat(call.repo(), digest) : -1;
        if (call.ex().isHead()) {
            headers(call, digest);
            call.ex().sendContent(200, "application/octet-stream", null, 0, size);
            return;
        }
        try (SeekableByteChannel channel = blobs.open(call.repo(), digest)) {
            size = channel.size();
            headers(call, digest);
            ByteRange range = range(call, size);
            if (range == null) {
                call.ex().sendContent(200, "application/octet-stream", channel, 0, size);
            } else {
                call.ex().setHeader("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
                call.ex().sendContent(206, "application/octet-stream", channel, range.start(), range.length());
            }
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
