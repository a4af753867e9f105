package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.model.Digest;
import io.wharf.core.service.LayerService;
import io.wharf.core.service.Quotas;
import io.wharf.core.service.UploadStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * BatchCheckLayerAvailability, InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload,
 * GetDownloadUrlForLayer: the layer API, over the same upload sessions as the registry API.
 */
final class LayerOperations {
    private static final Pattern UPLOAD_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final LayerService layers;
    private final Quotas quotas;

    LayerOperations(LayerService layers, Quotas quotas) {
        this.layers = layers;
        this.quotas = quotas;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                repository("BatchCheckLayerAvailability", BatchCheckLayerAvailabilityRequest.class, this::check),
                repository("InitiateLayerUpload", InitiateLayerUploadRequest.class, this::initiate),
                repository("UploadLayerPart", UploadLayerPartRequest.class, this::uploadPart),
                repository("CompleteLayerUpload", CompleteLayerUploadRequest.class, this::complete),
                repository("GetDownloadUrlForLayer", GetDownloadUrlForLayerRequest.class, this::downloadUrl));
    }

    // ---- BatchCheckLayerAvailability

    record BatchCheckLayerAvailabilityRequest(String registryId, String repositoryName, List<String> layerDigests)
            implements EcrRequest.Repo {
    }

    record LayerShape(String layerDigest, String layerAvailability, Long layerSize, String mediaType) {
    }

    record LayerFailureShape(String layerDigest, String failureCode, String failureReason) {
    }

    record BatchCheckLayerAvailabilityResponse(List<LayerShape> layers, List<LayerFailureShape> failures) {
    }

    private BatchCheckLayerAvailabilityResponse check(EcrCall call, BatchCheckLayerAvailabilityRequest req) {
        Check.size("layerDigests", Check.required("layerDigests", req.layerDigests()), 1, 100);
        List<LayerShape> found = new ArrayList<>();
        List<LayerFailureShape> failures = new ArrayList<>();
        for (String text : req.layerDigests()) {
            if (text == null || text.isEmpty()) {
                failures.add(new LayerFailureShape(text, "MissingLayerDigest", "The layer digest is missing"));
                continue;
            }
            Digest digest = parseOrNull(text);
            if (digest == null || text.length() > 1000) {
                failures.add(new LayerFailureShape(text, "InvalidLayerDigest", "The layer digest is not valid"));
                continue;
            }
            OptionalLong size = layers.availability(call.repo(), digest);
            found.add(size.isPresent() ? new LayerShape(text, "AVAILABLE", size.getAsLong(), null)
                    : new LayerShape(text, "UNAVAILABLE", null, null));
        }
        return new BatchCheckLayerAvailabilityResponse(found, failures);
    }

    private static Digest parseOrNull(String text) {
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- InitiateLayerUpload

    record InitiateLayerUploadRequest(String registryId, String repositoryName) implements EcrRequest.Repo {
    }

    record InitiateLayerUploadResponse(String uploadId, Long partSize) {
    }

    /** The advertised part size is the largest part accepted: clients that follow it send the fewest parts. */
    private InitiateLayerUploadResponse initiate(EcrCall call, InitiateLayerUploadRequest req) {
        UploadStatus started = layers.initiate(call.repo(), call.principal().arn());
        return new InitiateLayerUploadResponse(started.uploadId(), quotas.maxPartBytes());
    }

    // ---- UploadLayerPart

    record UploadLayerPartRequest(String registryId, String repositoryName, String uploadId, Long partFirstByte,
                                  Long partLastByte, byte[] layerPartBlob) implements EcrRequest.Repo {
    }

    record UploadLayerPartResponse(String registryId, String repositoryName, String uploadId, Long lastByteReceived) {
    }

    private UploadLayerPartResponse uploadPart(EcrCall call, UploadLayerPartRequest req) {
        String uploadId = uploadId(req.uploadId());
        long first = Check.required("partFirstByte", req.partFirstByte());
        long last = Check.required("partLastByte", req.partLastByte());
        if (first < 0 || last < first) {
            throw EcrProblem.constraint(first < 0 ? "partFirstByte" : "partLastByte",
                    "Member must have value greater than or equal to " + (first < 0 ? 0 : first));
        }
        byte[] blob = Check.required("layerPartBlob", req.layerPartBlob());
        long received = layers.uploadPart(call.repo(), uploadId, first, last, blob);
        return new UploadLayerPartResponse(call.account(), call.repo().name().value(), uploadId, received);
    }

    private static String uploadId(String text) {
        if (!UPLOAD_ID.matcher(Check.required("uploadId", text)).matches()) {
            throw EcrProblem.constraint("uploadId", "must satisfy regular expression "
                    + "'[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}'");
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }

    // ---- CompleteLayerUpload

    record CompleteLayerUploadRequest(String registryId, String repositoryName, String uploadId, List<String> layerDigests)
            implements EcrRequest.Repo {
    }

    record CompleteLayerUploadResponse(String registryId, String repositoryName, String uploadId, String layerDigest) {
    }

    private CompleteLayerUploadResponse complete(EcrCall call, CompleteLayerUploadRequest req) {
        String uploadId = uploadId(req.uploadId());
        List<String> digests = Check.size("layerDigests", Check.required("layerDigests", req.layerDigests()), 1, 100);
        Digest digest = Check.digest("layerDigests", digests.getFirst());
        Digest done = layers.complete(call.repo(), uploadId, digest);
        return new CompleteLayerUploadResponse(call.account(), call.repo().name().value(), uploadId, done.toString());
    }

    // ---- GetDownloadUrlForLayer

    record GetDownloadUrlForLayerRequest(String registryId, String repositoryName, String layerDigest)
            implements EcrRequest.Repo {
    }

    record GetDownloadUrlForLayerResponse(String downloadUrl, String layerDigest) {
    }

    /**
     * The store's presigned URL when it redirects downloads (an S3 bucket with {@code storage.s3.redirect}), as ECR
     * answers; else a plain registry blob URL on the host the client used, which the registry API serves.
     */
    private GetDownloadUrlForLayerResponse downloadUrl(EcrCall call, GetDownloadUrlForLayerRequest req) {
        Digest digest = Check.digest("layerDigest", req.layerDigest());
        String url = layers.downloadUrl(call.repo(), digest).map(Object::toString)
                .orElseGet(() -> call.endpoint() + "/v2/" + call.repo().name() + "/blobs/" + digest);
        return new GetDownloadUrlForLayerResponse(url, digest.toString());
    }
}
