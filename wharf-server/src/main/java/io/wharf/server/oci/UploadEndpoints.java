package io.wharf.server.oci;

import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.MountResult;
import io.wharf.core.service.UploadService;
import io.wharf.core.service.UploadStatus;
import java.io.IOException;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (start, monolithic {@code ?digest=}, or
 * {@code ?mount=&from=}) and {@code GET/PATCH/PUT/DELETE /v2/<name>/blobs/uploads/<id>}.
 */
final class UploadEndpoints {
    private final UploadService uploads;

    UploadEndpoints(UploadService uploads) {
        this.uploads = uploads;
    }

    void start(OciCall call) throws IOException {
        var ex = call.ex();
        if (ex.hasQuery("mount")) {
            mount(call, Digest.parse(call.query("mount", OciError.DIGEST_INVALID)),
                    fromRepository(call.query("from", OciError.NAME_INVALID)));
        } else if (ex.hasQuery("digest")) {
            Digest digest = Digest.parse(call.query("digest", OciError.DIGEST_INVALID));
            uploads.putMonolithic(call.repo(), owner(call), digest, ex.contentLength(), ex.body());
            created(call, digest);
        } else {
            accepted(call, uploads.start(call.repo(), owner(call)), 202);
        }
    }

    private void mount(OciCall call, Digest digest, RepositoryName from) throws IOException {
        switch (uploads.mount(call.repo(), owner(call), digest, from, call.mayRead())) {
            case MountResult.Mounted m -> created(call, m.digest());
            case MountResult.UploadStarted s -> accepted(call, s.status(), 202);
        }
    }

    /** Sessions are counted per principal (its ARN) against the open-upload cap. */
    private static String owner(OciCall call) {
        return call.principal().arn();
    }

    private static RepositoryName fromRepository(String from) {
        return from == null || from.isEmpty() ? null : RepositoryName.parse(from);
    }

    void status(OciCall call) throws IOException {
        accepted(call, uploads.status(call.repo(), call.reference()), 204);
    }

    /** A chunk with Content-Range, or a streamed body without it. */
    void patch(OciCall call) throws IOException {
        var ex = call.ex();
        ContentRange range = ContentRange.parse(ex.header("Content-Range"));
        Long declared = declaredLength(ex.contentLength(), range);
        try {
            UploadStatus status = uploads.append(call.repo(), call.reference(), range == null ? null : range.start(),
                    declared, ex.body());
            accepted(call, status, 202);
        } catch (RangeNotSatisfiableException e) {
            progressHeaders(call, new UploadStatus(call.reference(), e.currentSize()));
            throw e;
        }
    }

    /** Finishes the upload, with an optional last chunk in the body. */
    void complete(OciCall call) throws IOException {
        var ex = call.ex();
        String digestParam = call.query("digest", OciError.DIGEST_INVALID);
        if (digestParam == null) {
            throw new OciProblem(OciError.DIGEST_INVALID, "the digest query parameter is required", null);
        }
        Digest digest = Digest.parse(digestParam);
        ContentRange range = ContentRange.parse(ex.header("Content-Range"));
        Long declared = declaredLength(ex.contentLength(), range);
        BodySource body = declared != null && declared == 0 ? BodySource.EMPTY : ex.body();
        try {
            uploads.complete(call.repo(), call.reference(), digest, range == null ? null : range.start(), declared, body);
        } catch (RangeNotSatisfiableException e) {
            progressHeaders(call, new UploadStatus(call.reference(), e.currentSize()));
            throw e;
        }
        created(call, digest);
    }

    void cancel(OciCall call) throws IOException {
        uploads.cancel(call.repo(), call.reference());
        call.ex().sendEmpty(204);
    }

    private static Long declaredLength(Long contentLength, ContentRange range) {
        if (range != null && contentLength != null && contentLength != range.length()) {
            throw new OciProblem(OciError.RANGE_INVALID, "Content-Length does not match Content-Range", null);
        }
        return range != null ? Long.valueOf(range.length()) : contentLength;
    }

    private static void created(OciCall call, Digest digest) throws IOException {
        call.ex().setHeader("Location", call.repoPath() + "/blobs/" + digest)
                .setHeader("Docker-Content-Digest", digest.toString());
        call.ex().sendEmpty(201);
    }

    private static void accepted(OciCall call, UploadStatus status, int code) throws IOException {
        progressHeaders(call, status);
        call.ex().sendEmpty(code);
    }

    /** Location of the session and the inclusive range received so far ("0-0" when empty, as Distribution does). */
    private static void progressHeaders(OciCall call, UploadStatus status) {
        call.ex().setHeader("Location", call.repoPath() + "/blobs/uploads/" + status.uploadId())
                .setHeader("Range", "0-" + Math.max(0, status.offset() - 1))
                .setHeader("Docker-Upload-UUID", status.uploadId());
    }
}
