package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.error.ImageNotTrustedException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.Batch;
import io.wharf.core.service.FoundImage;
import io.wharf.core.service.ImageDetail;
import io.wharf.core.service.ImageFailure;
import io.wharf.core.service.ImageService;
import io.wharf.scan.service.ScanService;
import io.wharf.core.service.ListingService.Page;
import io.wharf.core.service.ManifestService;
import io.wharf.core.signature.SignatureService;
import io.wharf.core.spi.ImageTagRef;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagStatus;
import io.wharf.server.ecr.Shapes.ImageFailureShape;
import io.wharf.server.ecr.Shapes.ImageIdShape;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** ListImages, DescribeImages, BatchGetImage, BatchDeleteImage, PutImage. */
final class ImageOperations {
    private static final int MAX_MANIFEST_CHARS = 4_194_304;

    private final ImageService images;
    private final SignatureService signatures;
    private final ManifestService manifests;
    private final ScanService scans;

    ImageOperations(ImageService images, ManifestService manifests, ScanService scans, SignatureService signatures) {
        this.signatures = signatures;
        this.images = images;
        this.manifests = manifests;
        this.scans = scans;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                repository("ListImages", ListImagesRequest.class, this::list),
                repository("DescribeImages", DescribeImagesRequest.class, this::describe),
                repository("BatchGetImage", BatchGetImageRequest.class, this::batchGet),
                repository("BatchDeleteImage", BatchDeleteImageRequest.class, this::batchDelete),
                repository("PutImage", PutImageRequest.class, this::put));
    }

    record Filter(String tagStatus) {
    }

    private static TagStatus tagStatus(Filter filter) {
        TagStatus status = filter == null ? null : Check.choice("filter.tagStatus", filter.tagStatus(), TagStatus.class);
        return status == null ? TagStatus.ANY : status;
    }

    // ---- ListImages

    record ListImagesRequest(String registryId, String repositoryName, String nextToken, Integer maxResults, Filter filter)
            implements EcrRequest.Repo {
    }

    record ListImagesResponse(List<ImageIdShape> imageIds, String nextToken) {
    }

    private ListImagesResponse list(EcrCall call, ListImagesRequest req) {
        int size = Check.maxResults(req.maxResults(), 1000);
        TagStatus status = tagStatus(req.filter());
        String scope = PageToken.scope("ListImages", call.account(), call.repo().name().value(), status);
        Page<ImageTagRef> page = images.listIds(call.repo(), status, listCursor(scope, req.nextToken()), size);
        String next = null;
        if (page.more()) {
            ImageTagRef last = page.lastItem();
            next = PageToken.encode(scope, last.digest() + "\n" + (last.tag() == null ? "" : last.tag().value()));
        }
        return new ListImagesResponse(page.items().stream().map(ImageIdShape::of).toList(), next);
    }

    private static ImageTagRef listCursor(String scope, String token) {
        String cursor = PageToken.decode(scope, token);
        if (cursor == null) {
            return null;
        }
        try {
            int nl = cursor.indexOf('\n');
            String tag = cursor.substring(nl + 1);
            return new ImageTagRef(Digest.parse(cursor.substring(0, nl)), tag.isEmpty() ? null : new Tag(tag));
        } catch (RuntimeException e) {
            throw EcrProblem.constraint("nextToken", "Invalid pagination token");
        }
    }

    // ---- DescribeImages

    record DescribeImagesRequest(String registryId, String repositoryName, List<ImageIdShape> imageIds, String nextToken,
                                 Integer maxResults, Filter filter) implements EcrRequest.Repo {
    }

    record ImageDetailShape(String registryId, String repositoryName, String imageDigest, List<String> imageTags,
                            Long imageSizeInBytes, Instant imagePushedAt, String imageManifestMediaType,
                            String artifactMediaType, Instant lastRecordedPullTime, String subjectManifestDigest,
                            String imageStatus, ScanOperations.ImageScanStatusShape imageScanStatus,
                            ScanOperations.FindingsSummaryShape imageScanFindingsSummary) {
    }

    record DescribeImagesResponse(List<ImageDetailShape> imageDetails, String nextToken) {
    }

    private DescribeImagesResponse describe(EcrCall call, DescribeImagesRequest req) {
        Check.noPagingWith("imageIds", req.imageIds(), req.nextToken(), req.maxResults());
        TagStatus status = tagStatus(req.filter());
        if (req.imageIds() != null) {
            Check.size("imageIds", req.imageIds(), 1, 100);
            List<ImageDetail> found = images.describe(call.repo(), req.imageIds().stream().map(ImageIds::strict).toList(), status);
            return new DescribeImagesResponse(found.stream().map(d -> detail(call, d)).toList(), null);
        }
        int size = Check.maxResults(req.maxResults(), 1000);
        String scope = PageToken.scope("DescribeImages", call.account(), call.repo().name().value(), status);
        String cursor = PageToken.decode(scope, req.nextToken());
        Page<ImageDetail> page = images.describePage(call.repo(), status, cursor == null ? null : digestCursor(cursor), size);
        String next = page.more() ? PageToken.encode(scope, page.lastItem().image().manifest().digest().toString()) : null;
        return new DescribeImagesResponse(page.items().stream().map(d -> detail(call, d)).toList(), next);
    }

    private static Digest digestCursor(String cursor) {
        try {
            return Digest.parse(cursor);
        } catch (RuntimeException e) {
            throw EcrProblem.constraint("nextToken", "Invalid pagination token");
        }
    }

    private ImageDetailShape detail(EcrCall call, ImageDetail d) {
        StoredManifest m = d.image().manifest();
        var scan = scans.scanOf(call.repo(), m.digest());
        List<String> tags = d.image().tags().isEmpty() ? null : d.image().tags().stream().map(Tag::value).toList();
        return new ImageDetailShape(call.account(), call.repo().name().value(), m.digest().toString(), tags,
                d.sizeInBytes(), m.pushedAt(), m.mediaType(), d.artifactMediaType(), m.lastPulledAt(),
                m.subject() == null ? null : m.subject().toString(), "ACTIVE",
                scan.map(ScanOperations::status).orElse(null), scan.map(ScanOperations::summary).orElse(null));
    }

    // ---- BatchGetImage

    record BatchGetImageRequest(String registryId, String repositoryName, List<ImageIdShape> imageIds,
                                List<String> acceptedMediaTypes) implements EcrRequest.Repo {
    }

    record ImageShape(String registryId, String repositoryName, ImageIdShape imageId, String imageManifest,
                      String imageManifestMediaType) {
        static ImageShape of(EcrCall call, StoredManifest m, Tag tag) {
            return new ImageShape(call.account(), call.repo().name().value(),
                    new ImageIdShape(m.digest().toString(), tag == null ? null : tag.value()),
                    new String(m.content(), StandardCharsets.UTF_8), m.mediaType());
        }
    }

    record BatchGetImageResponse(List<ImageShape> images, List<ImageFailureShape> failures) {
    }

    private BatchGetImageResponse batchGet(EcrCall call, BatchGetImageRequest req) {
        Check.size("imageIds", Check.required("imageIds", req.imageIds()), 1, 100);
        Check.size("acceptedMediaTypes", req.acceptedMediaTypes(), 1, 100);
        ImageIds ids = ImageIds.parse(req.imageIds());
        Batch<FoundImage> batch = images.batchGet(call.repo(), ids.queries(), req.acceptedMediaTypes());
        List<ImageFailure> refused = new ArrayList<>(batch.failures());
        List<ImageShape> found = batch.done().stream().filter(f -> trusted(call, f, refused))
                .map(f -> ImageShape.of(call, f.manifest(), f.tag())).toList();
        return new BatchGetImageResponse(found, failures(ids.failures(), refused));
    }

    /** A pull, as a manifest GET is: under a signature policy an image without a trusted signature is refused. */
    private boolean trusted(EcrCall call, FoundImage f, List<ImageFailure> refused) {
        if (!signatures.enforced(call.repo())) {
            return true;
        }
        try {
            signatures.checkPull(call.repo(), f.tag() != null ? new Reference.ByTag(f.tag())
                    : new Reference.ByDigest(f.manifest().digest()), f.manifest());
            return true;
        } catch (ImageNotTrustedException e) {
            refused.add(new ImageFailure(f.manifest().digest().toString(), f.tag() == null ? null : f.tag().value(),
                    ImageFailure.Code.ImageInaccessible, e.getMessage()));
            return false;
        }
    }

    private static List<ImageFailureShape> failures(List<ImageFailure> edge, List<ImageFailure> domain) {
        List<ImageFailureShape> all = new ArrayList<>();
        edge.forEach(f -> all.add(ImageFailureShape.of(f)));
        domain.forEach(f -> all.add(ImageFailureShape.of(f)));
        return all;
    }

    // ---- BatchDeleteImage

    record BatchDeleteImageRequest(String registryId, String repositoryName, List<ImageIdShape> imageIds)
            implements EcrRequest.Repo {
    }

    record BatchDeleteImageResponse(List<ImageIdShape> imageIds, List<ImageFailureShape> failures) {
    }

    private BatchDeleteImageResponse batchDelete(EcrCall call, BatchDeleteImageRequest req) {
        Check.size("imageIds", Check.required("imageIds", req.imageIds()), 1, 100);
        ImageIds ids = ImageIds.parse(req.imageIds());
        Batch<ImageTagRef> batch = images.batchDelete(call.repo(), ids.queries());
        return new BatchDeleteImageResponse(batch.done().stream().map(ImageIdShape::of).toList(),
                failures(ids.failures(), batch.failures()));
    }

    // ---- PutImage

    record PutImageRequest(String registryId, String repositoryName, String imageManifest, String imageManifestMediaType,
                           String imageTag, String imageDigest) implements EcrRequest.Repo {
    }

    record PutImageResponse(ImageShape image) {
    }

    private PutImageResponse put(EcrCall call, PutImageRequest req) {
        String manifest = Check.length("imageManifest", Check.required("imageManifest", req.imageManifest()), 1,
                MAX_MANIFEST_CHARS);
        Tag tag = req.imageTag() == null ? null : Check.tag("imageTag", req.imageTag());
        Digest claimed = req.imageDigest() == null ? null : Check.digest("imageDigest", req.imageDigest());
        StoredManifest stored = manifests.putImage(call.repo(), manifest.getBytes(StandardCharsets.UTF_8),
                Check.length("imageManifestMediaType", req.imageManifestMediaType(), 1, 255), tag, claimed);
        return new PutImageResponse(ImageShape.of(call, stored, tag));
    }
}
